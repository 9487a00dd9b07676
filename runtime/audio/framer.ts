/**
 * Cuts any stream of 16 kHz mono int16 chunks into frames of exactly 1280 samples, carrying the
 * remainder to the next chunk, so nothing downstream depends on how the audio arrived (a 4096-byte
 * pipe read, a 20 ms satellite packet, a whole file). Frame start times count samples, not wall time.
 */
import { FRAME_SAMPLES, SAMPLE_RATE_HZ, type AudioFrame } from '../types/audio.js';

export class Framer {
  private readonly pending = new Int16Array(FRAME_SAMPLES);
  private pendingCount = 0;
  private samplesOut = 0;

  /** Frames completed by this chunk, in order. */
  push(chunk: Int16Array): AudioFrame[] {
    const out: AudioFrame[] = [];
    let i = 0;
    while (i < chunk.length) {
      const take = Math.min(FRAME_SAMPLES - this.pendingCount, chunk.length - i);
      this.pending.set(chunk.subarray(i, i + take), this.pendingCount);
      this.pendingCount += take;
      i += take;
      if (this.pendingCount === FRAME_SAMPLES) {
        out.push({ samples: this.pending.slice(), startMs: (this.samplesOut * 1000) / SAMPLE_RATE_HZ });
        this.samplesOut += FRAME_SAMPLES;
        this.pendingCount = 0;
      }
    }
    return out;
  }

  /** The last partial frame padded with silence, if any (at the end of a file or stream). */
  flush(): AudioFrame[] {
    if (this.pendingCount === 0) return [];
    const samples = new Int16Array(FRAME_SAMPLES);
    samples.set(this.pending.subarray(0, this.pendingCount));
    this.pendingCount = 0;
    const frame = { samples, startMs: (this.samplesOut * 1000) / SAMPLE_RATE_HZ };
    this.samplesOut += FRAME_SAMPLES;
    return [frame];
  }
}

/** Little-endian s16 bytes -> samples, carrying an odd trailing byte between calls. */
export class S16leDecoder {
  private carry: number | undefined;

  decode(bytes: Uint8Array): Int16Array {
    const joined = this.carry === undefined ? bytes : concatByte(this.carry, bytes);
    const n = joined.length >> 1;
    this.carry = joined.length % 2 === 1 ? joined[joined.length - 1] : undefined;
    const out = new Int16Array(n);
    const view = new DataView(joined.buffer, joined.byteOffset, n * 2);
    for (let i = 0; i < n; i++) out[i] = view.getInt16(i * 2, true);
    return out;
  }
}

function concatByte(first: number, rest: Uint8Array): Uint8Array {
  const out = new Uint8Array(rest.length + 1);
  out[0] = first;
  out.set(rest, 1);
  return out;
}
