/**
 * openWakeWord's streaming features, as its reference Python computes them (utils.AudioFeatures),
 * not as the npm port does: int16 sample values as float32 (not [-1, 1]); each 80 ms frame runs the
 * melspectrogram over its 1280 samples plus the 480 before (1760 samples -> 8 new mel frames; mel.ts: by FFT, or
 * by openWakeWord's ONNX model); mel values go through spec/10 + 2; the mel buffer starts as 76 frames of ones; each frame then
 * embeds the last 76 mel frames (76x32x1 -> 96). Classifiers read the last N embeddings.
 *
 * Mel and embedding are skipped on frames the VAD rules out (`embed: false`): only the raw audio is kept.
 * When speech comes back, the mel frames and embeddings the classifiers need are computed then
 * (the same 1760-sample windows, and one embedding call), so the result equals never skipping.
 * The embedding runs window by window or streaming, as its graph is made (embedder.ts): same numbers.
 */
import { FRAME_SAMPLES } from '../types/audio.js';
import { BINS, EMBEDDING, embedderFor, WINDOW_ROWS as WINDOW, type Embedder } from './embedder.js';
import { MEL_CONTEXT_SAMPLES as CONTEXT, MEL_PER_FRAME, type FftMel, type MelFrontEnd } from './mel.js';
import type { ModelSession } from '../models/onnx.js';

export { MEL_BINS, MEL_CONTEXT_SAMPLES, MEL_PER_FRAME } from './mel.js';
/** Values in one embedding-model input window (76 mel frames x 32 bins). */
export const EMBEDDING_WINDOW_VALUES = WINDOW * BINS;

export class WakeFeatures {
  /** Raw samples (int16 values as float), the last `rawKeep`; `rawBase` is the absolute index of raw[0]. */
  private raw: Float32Array;
  private rawBase = 0;
  private rawLength = 0;
  /** Mel frames by absolute index; indices below 0 are the initial ones. */
  private mel: Float32Array[] = [];
  private melBase = -WINDOW;
  private readonly embeddings = new Map<number, Float32Array>();
  /** otherMelWindow's rows by front end and audio frame: a candidate usually follows one a frame earlier. */
  private readonly otherRows = new Map<FftMel, Map<number, Float32Array[]>>();
  private frames = 0;
  private readonly rawKeep: number;
  private readonly embedder: Embedder;
  /** Model runs so far, for the bench's account of what VAD gating saves. */
  embeddingRuns = 0;
  melRuns = 0;

  /**
   * `keepMelRows`: mel frames a wake-word verifier reads (melWindow); the buffer keeps at least these,
   * besides what the last `keepEmbeddings` embeddings need. `keepOtherRows`: rows of other bands a verifier reads
   * (otherMelWindow); only the raw audio for them is kept.
   */
  constructor(private readonly melFrontEnd: MelFrontEnd, embeddingModel: ModelSession, private readonly keepEmbeddings: number,
    private readonly keepMelRows = 0, keepOtherRows = 0) {
    this.embedder = embedderFor(embeddingModel);
    for (let i = 0; i < WINDOW; i++) this.mel.push(new Float32Array(BINS).fill(1));
    const rawFrames = Math.max(keepEmbeddings + WINDOW / MEL_PER_FRAME, Math.ceil(Math.max(keepMelRows, keepOtherRows) / MEL_PER_FRAME));
    this.rawKeep = (rawFrames + 2) * FRAME_SAMPLES + CONTEXT;
    this.raw = new Float32Array(this.rawKeep + FRAME_SAMPLES);
  }

  /** Adds one 1280-sample frame; with `embed`, brings mel frames and embeddings up to date. */
  async push(samples: Int16Array, embed: boolean): Promise<void> {
    if (samples.length !== FRAME_SAMPLES) throw new Error(`wake features need ${FRAME_SAMPLES}-sample frames, got ${samples.length}`);
    this.appendRaw(samples);
    this.frames++;
    if (!embed) return;
    await this.updateMel();
    await this.embedMissing();
  }

  /** The last `n` embeddings as one [1, n, 96] input, or undefined until they exist. */
  window(n: number): Float32Array | undefined {
    const out = new Float32Array(n * EMBEDDING);
    for (let i = 0; i < n; i++) {
      const e = this.embeddings.get(this.frames - n + i);
      if (!e) return undefined;
      out.set(e, i * EMBEDDING);
    }
    return out;
  }

  /**
   * The last `rows` mel frames as one [1, rows, 32] input (up to the current audio frame), or undefined
   * when they are not all there (before the stream is that long, or on a frame the VAD skipped).
   */
  melWindow(rows: number): Float32Array | undefined {
    const end = this.frames * MEL_PER_FRAME - this.melBase;
    if (rows > this.keepMelRows || end > this.mel.length || end - rows < 0 || this.melBase + end - rows < 0) return undefined;
    const out = new Float32Array(rows * BINS);
    for (let r = 0; r < rows; r++) out.set(this.mel[end - rows + r]!, r * BINS);
    return out;
  }

  /**
   * The last `rows` rows of another filterbank (`front`, e.g. mel.ts WIDE_MEL) up to the current audio frame, computed
   * now from the raw audio, one 1760-sample window per 80 ms frame as the wake features' own rows are (and as
   * tools/train/wake/mel.ts computes them for training); undefined before the stream is that long. Only verifiers read
   * these, on a candidate, so listening costs nothing more; rows made for one candidate are kept for the next.
   */
  otherMelWindow(rows: number, front: FftMel): Float32Array | undefined {
    const bins = front.bins;
    const frames = Math.ceil(rows / MEL_PER_FRAME);
    const first = this.frames - frames;
    if (first < 0 || (this.rawBase > 0 && first * FRAME_SAMPLES - CONTEXT < this.rawBase)) return undefined;
    const cache = this.otherRows.get(front) ?? new Map<number, Float32Array[]>();
    this.otherRows.set(front, cache);
    for (const g of cache.keys()) if (g < first) cache.delete(g);
    const out = new Float32Array(rows * bins);
    const input = new Float32Array(CONTEXT + FRAME_SAMPLES);
    const skip = frames * MEL_PER_FRAME - rows;
    for (let g = first; g < this.frames; g++) {
      let made = cache.get(g);
      if (!made) {
        made = front.rowsNow(this.melInput(g, input));
        cache.set(g, made);
      }
      made.forEach((row, r) => {
        const at = (g - first) * MEL_PER_FRAME + r - skip;
        if (at >= 0) out.set(row, at * bins);
      });
    }
    return out;
  }

  /** Audio frame g's 1760-sample mel window (its 1280 samples and the 480 before) into `input`. */
  private melInput(g: number, input: Float32Array): Float32Array {
    const start = g * FRAME_SAMPLES - CONTEXT;
    for (let i = 0; i < input.length; i++) {
      const abs = start + i;
      input[i] = abs < this.rawBase ? 0 : this.raw[abs - this.rawBase]!; // before the stream began: silence
    }
    return input;
  }

  private appendRaw(samples: Int16Array): void {
    if (this.rawLength + samples.length > this.raw.length) {
      const drop = this.rawLength + samples.length - this.rawKeep;
      this.raw.copyWithin(0, drop, this.rawLength);
      this.rawLength -= drop;
      this.rawBase += drop;
    }
    for (let i = 0; i < samples.length; i++) this.raw[this.rawLength + i] = samples[i]!;
    this.rawLength += samples.length;
  }

  /**
   * Mel frames from the oldest one a needed embedding reads up to the current frame, one 1760-sample
   * window per audio frame. Not one long window, nor a batch: the model clamps its log-mel to 80 dB
   * under the loudest value in the whole input tensor, so the window is part of the definition.
   */
  private async updateMel(): Promise<void> {
    const melEnd = this.melBase + this.mel.length;
    const oldestNeeded = Math.min((this.frames - this.keepEmbeddings + 1) * MEL_PER_FRAME - WINDOW, this.frames * MEL_PER_FRAME - this.keepMelRows);
    let fromFrame = melEnd / MEL_PER_FRAME;
    if (oldestNeeded > melEnd) {
      // A gap no embedding will read: start afresh, aligned to a frame.
      fromFrame = Math.floor(oldestNeeded / MEL_PER_FRAME);
      this.mel = [];
      this.melBase = fromFrame * MEL_PER_FRAME;
    }
    const input = new Float32Array(CONTEXT + FRAME_SAMPLES);
    for (let g = fromFrame; g < this.frames; g++) {
      this.mel.push(...await this.melFrontEnd.rows(this.melInput(g, input)));
      this.melRuns++;
    }
    const keep = Math.max(WINDOW + MEL_PER_FRAME * this.keepEmbeddings, this.keepMelRows);
    if (this.mel.length > keep) {
      const drop = this.mel.length - keep;
      this.mel = this.mel.slice(drop);
      this.melBase += drop;
    }
  }

  /** Embeds, in one call, every frame among the last `keepEmbeddings` that has no embedding yet (they follow the ones that have). */
  private async embedMissing(): Promise<void> {
    for (const f of this.embeddings.keys()) if (f < this.frames - this.keepEmbeddings) this.embeddings.delete(f);
    let first = this.frames;
    while (first > Math.max(0, this.frames - this.keepEmbeddings) && !this.embeddings.has(first - 1) && first * MEL_PER_FRAME - WINDOW >= this.melBase) first--;
    const count = this.frames - first;
    if (count === 0) return;
    const made = await this.embedder.embed((i) => this.mel[i - this.melBase]!, first, count);
    this.embeddingRuns += count;
    made.forEach((e, i) => this.embeddings.set(first + i, e));
  }
}
