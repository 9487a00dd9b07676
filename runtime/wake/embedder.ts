/**
 * How the speech embedding is computed from mel frames: one 76-row window per embedding (openWakeWord's own way, and
 * what its model files take), or streaming (tools/train/wake/streaming.py made the graph): the network is
 * convolutional along time and windows move by 8 rows, so each new embedding needs only the 8 new mel frames plus the
 * 2 rows every time-3 layer saw last. Same numbers (bit-identical on onnxruntime-node, test/wake/embedder.test.ts),
 * about a third of the time per frame. Which one runs follows from the graph's inputs.
 */
import { HearthError } from '../types/errors.js';
import { MEL_BINS } from './mel.js';
import type { ModelSession, Tensor } from '../models/onnx.js';

/** Mel frames one embedding reads, the shift between embeddings (one 80 ms audio frame), bins, embedding size. */
export const WINDOW_ROWS = 76;
export const SHIFT_ROWS = 8;
export const BINS = MEL_BINS;
export const EMBEDDING = 96;

/** Mel frame `index` (absolute; negative indices are the buffer's initial frames). */
export type MelRow = (index: number) => Float32Array;

export interface Embedder {
  /** The embeddings of audio frames first .. first + count - 1; frame f's window is mel rows 8(f + 1) - 76 .. 8(f + 1) - 1. */
  embed(row: MelRow, first: number, count: number): Promise<Float32Array[]>;
}

/** A streaming graph has a `mel` input and caches; a window graph one [N, 76, 32, 1] input. */
export function embedderFor(session: ModelSession): Embedder {
  return session.inputNames.includes('cache0') ? new StreamingEmbedder(session) : new WindowEmbedder(session);
}

function rows(row: MelRow, from: number, count: number): Float32Array {
  const out = new Float32Array(count * BINS);
  for (let r = 0; r < count; r++) out.set(row(from + r), r * BINS);
  return out;
}

function split(data: Float32Array, count: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => data.slice(i * EMBEDDING, (i + 1) * EMBEDDING));
}

/** One window per embedding, all of a call's windows in one batch. */
class WindowEmbedder implements Embedder {
  constructor(private readonly session: ModelSession) {}

  async embed(row: MelRow, first: number, count: number): Promise<Float32Array[]> {
    const batch = new Float32Array(count * WINDOW_ROWS * BINS);
    for (let i = 0; i < count; i++) batch.set(rows(row, (first + i + 1) * SHIFT_ROWS - WINDOW_ROWS, WINDOW_ROWS), i * WINDOW_ROWS * BINS);
    const out = await this.session.run({ [this.session.inputNames[0]!]: { type: 'float32', data: batch, dims: [count, WINDOW_ROWS, BINS, 1] } });
    return split(out[this.session.outputNames[0]!]!.data, count);
  }
}

/**
 * The streaming graph. After frame f the caches hold what the frames up to f left in each layer; the next call that
 * starts at f + 1 reads only its new rows. Any other start (the first call, or after frames the VAD skipped) primes:
 * empty caches and all rows of the windows asked for, in one pass that shares their overlap (16 windows read 196 mel
 * rows instead of 16 x 76).
 */
class StreamingEmbedder implements Embedder {
  private readonly cacheNames: string[];
  private caches: Record<string, Tensor> | undefined;
  /** The frame the caches follow. */
  private lastFrame = Number.NaN;

  constructor(private readonly session: ModelSession) {
    this.cacheNames = session.inputNames.filter((n) => n !== 'mel');
  }

  async embed(row: MelRow, first: number, count: number): Promise<Float32Array[]> {
    const continuing = this.caches !== undefined && first === this.lastFrame + 1;
    const from = continuing ? first * SHIFT_ROWS : (first + 1) * SHIFT_ROWS - WINDOW_ROWS;
    const n = (first + count) * SHIFT_ROWS - from;
    const feeds: Record<string, Tensor> = { mel: { type: 'float32', data: rows(row, from, n), dims: [1, n, BINS, 1] } };
    for (const name of this.cacheNames) feeds[name] = continuing ? this.caches![name]! : this.emptyCache(name);
    const out = await this.session.run(feeds);
    this.caches = {};
    for (const name of this.cacheNames) {
      const c = out[`${name}_out`]!;
      this.caches[name] = { type: 'float32', data: c.data, dims: c.dims };
    }
    this.lastFrame = first + count - 1;
    return split(out.embeddings!.data, count);
  }

  /** A cache with no rows (what priming passes): [1, channels, 0, width], from the graph's declared input. */
  private emptyCache(name: string): Tensor {
    const shape = this.session.inputShape?.(name);
    const [channels, width] = [shape?.[1], shape?.[3]];
    if (typeof channels !== 'number' || typeof width !== 'number') {
      throw new HearthError('model-corrupt', 'environment', `The streaming embedding graph's input ${name} declares no channels and width. Restore models/ from the repository, or make the graph again with tools/train/wake/streaming.py.`, { input: name });
    }
    return { type: 'float32', data: new Float32Array(0), dims: [1, channels, 0, width] };
  }
}
