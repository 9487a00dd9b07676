/**
 * Is there anything in this frame louder than the room? The VAD is the largest cost of an idle hub
 * (Silero over every 96 ms), yet in a quiet or steadily noisy room most frames hold only the room.
 * This gate tracks the noise floor as the quietest 80 ms frame of the last 2 s (minimum statistics:
 * speech has gaps, so the minimum over a couple of seconds is the noise, not the voice) and calls a
 * frame loud when its energy is more than `marginDb` over that floor. A loud frame keeps the gate
 * open for `hangoverFrames` more frames, so the VAD sees a whole word, not just its peaks.
 *
 * Why 6 dB by default: on the wake-word sets' 5 dB SNR positives the loudest frame of every clip is
 * at least 10.6 dB over the floor before it (608 clips of the confirmation sets; at 10 dB SNR 14.9 dB), so a 6 dB margin opens
 * the gate for every one of them with 4.6 dB to spare (docs/results/wake-front-end.md, "noise-floor gate").
 * The wake features are computed backwards when the VAD opens the wake gate, so the frames before
 * the loud one are not lost. Pure: samples in, a decision out.
 */
import { FRAME_SAMPLES } from '../types/audio.js';

export interface NoiseFloorSettings {
  /** 0 turns the gate off (every frame is loud). */
  readonly marginDb: number;
  readonly windowFrames: number;
  readonly hangoverFrames: number;
}

export const NOISE_FLOOR_DEFAULTS = { windowFrames: 25, hangoverFrames: 12 } as const;

/** Energy of int16 samples in dB full scale; digital silence is -100 dB, not -Infinity. */
export function frameEnergyDbfs(samples: Int16Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return 10 * Math.log10(sum / (samples.length * 32768 * 32768) + 1e-10);
}

export class NoiseFloorGate {
  /** Energies of the last `windowFrames` frames (a ring), before the current one. */
  private readonly recentDb: Float64Array;
  private seen = 0;
  private openFrames = 0;

  constructor(private readonly settings: NoiseFloorSettings) {
    if (!(settings.windowFrames >= 1) || !(settings.hangoverFrames >= 0) || !(settings.marginDb >= 0)) {
      throw new Error(`noise-floor gate: windowFrames >= 1, hangoverFrames >= 0 and marginDb >= 0 (got ${JSON.stringify(settings)})`);
    }
    this.recentDb = new Float64Array(settings.windowFrames);
  }

  /** True when the frame (or one of the last `hangoverFrames`) stands out of the noise floor, or the floor is not known yet. */
  push(samples: Int16Array): boolean {
    if (samples.length !== FRAME_SAMPLES) throw new Error(`noise-floor gate needs ${FRAME_SAMPLES}-sample frames, got ${samples.length}`);
    const db = frameEnergyDbfs(samples);
    const w = this.settings.windowFrames;
    let loud = true;
    if (this.settings.marginDb > 0 && this.seen >= w) {
      let floorDb = Number.POSITIVE_INFINITY;
      for (let i = 0; i < w; i++) floorDb = Math.min(floorDb, this.recentDb[i]!);
      loud = db > floorDb + this.settings.marginDb;
    }
    this.recentDb[this.seen % w] = db;
    this.seen++;
    if (loud) this.openFrames = this.settings.hangoverFrames + 1;
    if (this.openFrames === 0) return false;
    this.openFrames--;
    return true;
  }
}
