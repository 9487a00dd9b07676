/**
 * Silero VAD v4 (recurrent: h and c state carried between calls) over 1536-sample chunks (96 ms),
 * one of the sizes the model is trained for at 16 kHz. A 512-sample call costs nearly as much as a
 * 1536-sample one on a hub CPU (0.18 vs 0.21 ms, tools/bench/model-calls.ts), so the larger chunk runs the VAD at
 * a third of the cost. An 80 ms frame completes at most one chunk; a frame that completes none
 * keeps the last probability. Input is [-1, 1] floats, as Silero and openWakeWord's wrapper feed it.
 */
import { FRAME_SAMPLES, SAMPLE_RATE_HZ } from '../types/audio.js';
import type { ModelSession } from '../models/onnx.js';

const CHUNK = 1536;
const STATE = 2 * 1 * 64;

export class SileroVad {
  private h = new Float32Array(STATE);
  private c = new Float32Array(STATE);
  private readonly pending = new Float32Array(CHUNK);
  private pendingCount = 0;
  private last = 0;
  /** Model calls so far (what the noise-floor gate saves shows here). */
  runs = 0;
  private readonly sr = { type: 'int64' as const, data: BigInt64Array.from([BigInt(SAMPLE_RATE_HZ)]), dims: [] as number[] };

  constructor(private readonly model: ModelSession) {}

  /** Speech probability for one 1280-sample frame, 0..1. */
  async process(samples: Int16Array): Promise<number> {
    if (samples.length !== FRAME_SAMPLES) throw new Error(`VAD needs ${FRAME_SAMPLES}-sample frames, got ${samples.length}`);
    let best = -1;
    for (let i = 0; i < samples.length; i++) {
      this.pending[this.pendingCount++] = samples[i]! / 32767;
      if (this.pendingCount === CHUNK) {
        best = Math.max(best, await this.runChunk());
        this.pendingCount = 0;
      }
    }
    if (best >= 0) this.last = best;
    return this.last;
  }

  /**
   * A frame the noise-floor gate ruled out: probability 0, and the partial chunk is dropped so the
   * next chunk is contiguous audio. h and c stay: they last saw the quiet room, as a skipped call would.
   */
  skip(): number {
    this.pendingCount = 0;
    this.last = 0;
    return 0;
  }

  reset(): void {
    this.h = new Float32Array(STATE);
    this.c = new Float32Array(STATE);
    this.pendingCount = 0;
    this.last = 0;
  }

  private async runChunk(): Promise<number> {
    this.runs++;
    const out = await this.model.run({
      input: { type: 'float32', data: this.pending.slice(), dims: [1, CHUNK] }, sr: this.sr,
      h: { type: 'float32', data: this.h, dims: [2, 1, 64] }, c: { type: 'float32', data: this.c, dims: [2, 1, 64] },
    });
    this.h = out['hn']!.data.slice();
    this.c = out['cn']!.data.slice();
    return out['output']!.data[0]!;
  }
}
