/**
 * Removes a DC offset at the edge (a first-order high-pass, y[n] = x[n] - x[n-1] + R y[n-1], corner about 13 Hz at
 * 16 kHz), carrying its state from frame to frame of one stream. Cheap ADCs on hubs and satellites add one: the
 * natural-speech recordings carry +23 LSB, and a +3277 (0.1 full scale) offset silenced the wake word altogether
 * (no VAD speech, no wake) before this filter.
 */
import type { AudioFrame } from '../types/audio.js';

const R = 0.995;

export class DcBlocker {
  private lastIn = 0;
  private lastOut = 0;

  frame(f: AudioFrame): AudioFrame {
    const out = new Int16Array(f.samples.length);
    let x1 = this.lastIn, y1 = this.lastOut;
    for (let i = 0; i < f.samples.length; i++) {
      const x = f.samples[i]!;
      y1 = x - x1 + R * y1;
      x1 = x;
      out[i] = y1 > 32767 ? 32767 : y1 < -32768 ? -32768 : Math.round(y1);
    }
    this.lastIn = x1;
    this.lastOut = y1;
    return { ...f, samples: out };
  }
}
