/**
 * A Wyoming client's audio (audio-chunk events carry their own rate, width and channels) -> the 16 kHz mono frames
 * every stage reads. Only 16-bit samples are taken (what every Wyoming microphone and Home Assistant send); another
 * width is a `wyoming-audio-format` error naming it.
 */
import { HearthError } from '../types/errors.js';
import { SAMPLE_RATE_HZ, type AudioFrame } from '../types/audio.js';
import { Framer } from '../audio/framer.js';
import { floatToInt16, Resampler } from '../audio/resample.js';

export interface AudioFormat { readonly rate: number; readonly width: number; readonly channels: number }

export function audioFormatOf(data: Readonly<Record<string, unknown>>): AudioFormat {
  const { rate, width, channels } = data;
  const ok = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi;
  if (!ok(rate, 4000, 192000) || !ok(channels, 1, 8)) throw new HearthError('wyoming-audio-format', 'input', `Wyoming audio: rate ${String(rate)} Hz with ${String(channels)} channels is not audio Hearth reads (4-192 kHz, 1-8 channels)`);
  if (width !== 2) throw new HearthError('wyoming-audio-format', 'input', `Wyoming audio: ${String(width)}-byte samples; Hearth takes 16-bit (width 2)`);
  return { rate, width, channels };
}

export class WyomingAudioIn {
  private readonly framer = new Framer();
  private resampler: Resampler | undefined;
  private rate = SAMPLE_RATE_HZ;
  /** Samples of 16 kHz audio so far. */
  samples16k = 0;

  /** Frames completed by one chunk's payload. */
  push(format: AudioFormat, payload: Buffer): AudioFrame[] {
    const n = Math.floor(payload.length / (2 * format.channels));
    const mono = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let c = 0; c < format.channels; c++) sum += payload.readInt16LE((i * format.channels + c) * 2);
      mono[i] = sum / format.channels / 32768;
    }
    if (format.rate !== this.rate || (!this.resampler && format.rate !== SAMPLE_RATE_HZ)) {
      this.rate = format.rate;
      this.resampler = format.rate === SAMPLE_RATE_HZ ? undefined : new Resampler(format.rate, SAMPLE_RATE_HZ);
    }
    const at16k = floatToInt16(this.resampler ? this.resampler.push(mono) : mono);
    this.samples16k += at16k.length;
    return this.framer.push(at16k);
  }

  /** The last partial frame, padded. */
  flush(): AudioFrame[] {
    return this.framer.flush();
  }
}
