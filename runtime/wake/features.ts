/**
 * openWakeWord's streaming features, as its reference Python computes them (utils.AudioFeatures),
 * not as the npm port does: int16 sample values as float32 (not [-1, 1]); each 80 ms frame runs the
 * melspectrogram over its 1280 samples plus the 480 before (1760 samples -> 8 new mel frames);
 * mel values go through spec/10 + 2; each frame then embeds the last 76 mel frames (76x32x1 -> 96).
 * Classifiers read the last N embeddings.
 *
 * The embedding model is the expensive part. When the VAD says a frame cannot hold a wake word, the
 * caller skips it (`embed: false`); when speech comes back, the embeddings a classifier needs are
 * computed then, in one batch, from the mel frames kept here, so the result is the same as never
 * skipping.
 */
import { FRAME_SAMPLES } from '../types/audio.js';
import type { ModelSession } from './onnx.js';

const MEL_CONTEXT_SAMPLES = 480;
const MEL_BINS = 32;
const MEL_WINDOW = 76;
const MEL_PER_FRAME = 8;
const EMBEDDING_SIZE = 96;

export class WakeFeatures {
  private readonly carry = new Float32Array(MEL_CONTEXT_SAMPLES);
  /** Mel frames (each 32 floats), oldest first; `melBase` is the absolute index of mel[0]. */
  private mel: Float32Array[] = [];
  private melBase = 0;
  /** Absolute mel count after each audio frame, by frame index (kept as long as the mel frames are). */
  private readonly melEndOfFrame = new Map<number, number>();
  private readonly embeddings = new Map<number, Float32Array>();
  private frames = 0;
  /** Embedding model runs, for the bench's account of what VAD gating saves. */
  embeddingRuns = 0;

  constructor(private readonly melModel: ModelSession, private readonly embeddingModel: ModelSession, private readonly keepEmbeddings: number) {
    // openWakeWord starts its mel buffer as ones, so the first windows are full.
    for (let i = 0; i < MEL_WINDOW; i++) this.mel.push(new Float32Array(MEL_BINS).fill(1));
  }

  get frameCount(): number {
    return this.frames;
  }

  /** Adds one 1280-sample frame; embeds it (and any skipped frames still needed) unless `embed` is false. */
  async push(samples: Int16Array, embed: boolean): Promise<void> {
    if (samples.length !== FRAME_SAMPLES) throw new Error(`wake features need ${FRAME_SAMPLES}-sample frames, got ${samples.length}`);
    const input = new Float32Array(MEL_CONTEXT_SAMPLES + FRAME_SAMPLES);
    input.set(this.carry);
    for (let i = 0; i < FRAME_SAMPLES; i++) input[MEL_CONTEXT_SAMPLES + i] = samples[i]!;
    this.carry.set(input.subarray(input.length - MEL_CONTEXT_SAMPLES));
    const out = await this.melModel.run({ [this.melModel.inputNames[0]!]: { type: 'float32', data: input, dims: [1, input.length] } });
    const spec = out[this.melModel.outputNames[0]!]!.data;
    for (let f = 0; f + MEL_BINS <= spec.length; f += MEL_BINS) {
      const row = new Float32Array(MEL_BINS);
      for (let b = 0; b < MEL_BINS; b++) row[b] = spec[f + b]! / 10 + 2;
      this.mel.push(row);
    }
    const frame = this.frames++;
    this.melEndOfFrame.set(frame, this.melBase + this.mel.length);
    this.trim();
    if (embed) await this.embedMissing(frame);
  }

  /** The last `n` embeddings as one [1, n, 96] input, or undefined until they exist. */
  window(n: number): Float32Array | undefined {
    const last = this.frames - 1;
    const out = new Float32Array(n * EMBEDDING_SIZE);
    for (let i = 0; i < n; i++) {
      const e = this.embeddings.get(last - n + 1 + i);
      if (!e) return undefined;
      out.set(e, i * EMBEDDING_SIZE);
    }
    return out;
  }

  /** Embeds every frame among the last `keepEmbeddings` that has none yet, in one batch. */
  private async embedMissing(frame: number): Promise<void> {
    const todo: number[] = [];
    for (let f = Math.max(0, frame - this.keepEmbeddings + 1); f <= frame; f++) {
      const end = this.melEndOfFrame.get(f);
      if (!this.embeddings.has(f) && end !== undefined && end - MEL_WINDOW >= this.melBase) todo.push(f);
    }
    if (todo.length === 0) return;
    const batch = new Float32Array(todo.length * MEL_WINDOW * MEL_BINS);
    todo.forEach((f, i) => {
      const end = this.melEndOfFrame.get(f)! - this.melBase;
      for (let r = 0; r < MEL_WINDOW; r++) batch.set(this.mel[end - MEL_WINDOW + r]!, (i * MEL_WINDOW + r) * MEL_BINS);
    });
    const out = await this.embeddingModel.run({ [this.embeddingModel.inputNames[0]!]: { type: 'float32', data: batch, dims: [todo.length, MEL_WINDOW, MEL_BINS, 1] } });
    const data = out[this.embeddingModel.outputNames[0]!]!.data;
    this.embeddingRuns += todo.length;
    todo.forEach((f, i) => this.embeddings.set(f, data.slice(i * EMBEDDING_SIZE, (i + 1) * EMBEDDING_SIZE)));
  }

  /** Keeps enough mel frames to re-embed the last `keepEmbeddings` frames, and no more. */
  private trim(): void {
    const keepMel = MEL_WINDOW + MEL_PER_FRAME * this.keepEmbeddings;
    const drop = this.mel.length - keepMel;
    if (drop > 0) {
      this.mel = this.mel.slice(drop);
      this.melBase += drop;
    }
    const oldest = this.frames - this.keepEmbeddings;
    for (const f of this.embeddings.keys()) if (f < oldest) this.embeddings.delete(f);
    for (const f of this.melEndOfFrame.keys()) if (f < oldest) this.melEndOfFrame.delete(f);
  }
}
