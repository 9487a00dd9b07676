/**
 * The speech probability every stage after the microphone reads: Silero VAD, skipped on frames the
 * noise-floor gate finds no louder than the room (probability 0 then, which also keeps the wake
 * models gated). The listener and wake-eval both go through it, so the evaluation measures what the
 * hub runs.
 */
import type { Logger } from '../log.js';
import { NOISE_FLOOR_DEFAULTS, NoiseFloorGate } from '../audio/noise-floor.js';
import { loadModel, loadRuntime, type RuntimeId } from '../models/onnx.js';
import { SileroVad } from './vad.js';

export class SpeechGate {
  constructor(private readonly vad: SileroVad, private readonly floor: NoiseFloorGate) {}

  /** Silero VAD model calls so far. */
  get vadRuns(): number {
    return this.vad.runs;
  }

  /** Speech probability of one frame; `always` runs the VAD whatever the noise floor says (an open utterance). */
  async process(samples: Int16Array, always = false): Promise<number> {
    return this.floor.push(samples) || always ? this.vad.process(samples) : this.vad.skip();
  }
}

/** Silero VAD on the wake engine's runtime, behind a noise-floor gate of `marginDb` (0 = none). */
export async function loadSpeechGate(runtimeId: RuntimeId, modelsDir: string, marginDb: number, log: Logger): Promise<SpeechGate> {
  const vad = new SileroVad(await loadModel(await loadRuntime(runtimeId, log), modelsDir, 'silero-vad'));
  return new SpeechGate(vad, new NoiseFloorGate({ marginDb, ...NOISE_FLOOR_DEFAULTS }));
}
