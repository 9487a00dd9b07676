/**
 * A block's arbitrator in TypeScript: P(run the block) = sigmoid(W2 relu(W1 mean + b1) + b2), mean = the chunk's input
 * averaged over its real frames (tools/train/asr/model.py Arbitrator). Its weights come from the exported
 * arbiter-<i>.onnx itself; the hub no longer calls onnxruntime for it, because at 4,700 multiply-adds a call's overhead
 * was 100 times the arithmetic: eight such calls per 240 ms chunk cost 28% of the encoder (the bench's profile, 8th
 * session), which hid the blocks it skipped. test/asr/amortized.test.ts holds it to the ONNX graph.
 */
import { HearthError } from '../../types/errors.js';
import { onnxInitializers } from '../../models/onnx-weights.js';

export interface BlockArbiter {
  /** x [C, d] (row-major), valid [C] (1 for real frames) -> P(run). */
  pRun(x: Float32Array, valid: Float32Array): number;
}

export class Arbitrator implements BlockArbiter {
  private readonly mean: Float32Array;
  private readonly hidden: Float32Array;
  constructor(private readonly w1: Float32Array, private readonly b1: Float32Array, private readonly w2: Float32Array, private readonly b2: number, private readonly d: number) {
    this.mean = new Float32Array(d);
    this.hidden = new Float32Array(b1.length);
  }

  pRun(x: Float32Array, valid: Float32Array): number {
    const { d, mean, hidden, w1, b1, w2 } = this;
    const H = b1.length;
    mean.fill(0);
    let n = 0;
    for (let t = 0; t < valid.length; t++) {
      if (!valid[t]) continue;
      n++;
      for (let j = 0; j < d; j++) mean[j]! += x[t * d + j]!;
    }
    const scale = 1 / Math.max(1, n);
    hidden.set(b1);
    for (let j = 0; j < d; j++) {
      const m = mean[j]! * scale;
      if (m === 0) continue;
      for (let h = 0; h < H; h++) hidden[h]! += m * w1[j * H + h]!; // W1 as exported: [d, H]
    }
    let z = this.b2;
    for (let h = 0; h < H; h++) z += Math.max(0, hidden[h]!) * w2[h]!;
    return 1 / (1 + Math.exp(-z));
  }
}

/** The arbitrator of an exported arbiter-<i>.onnx: its [d, H], [H], [H, 1] and [1] initializers, told apart by shape. */
export function arbitratorFromOnnx(bytes: Uint8Array, d: number, path: string): Arbitrator {
  const ts = onnxInitializers(bytes);
  const w1 = ts.find((t) => t.dims.length === 2 && t.dims[0] === d);
  const H = w1?.dims[1];
  const b1 = ts.find((t) => t.dims.length === 1 && t.dims[0] === H && H !== 1);
  const w2 = ts.find((t) => t.dims.length === 2 && t.dims[0] === H && t.dims[1] === 1);
  const b2 = ts.find((t) => t.dims.length === 1 && t.dims[0] === 1);
  if (!w1 || !b1 || !w2 || !b2) throw new HearthError('model-corrupt', 'environment', `${path} is not an arbitrator of width ${d} (weights [${d}, H], [H], [H, 1], [1] not found). Restore models/ from the repository.`, { path });
  return new Arbitrator(w1.data, b1.data, w2.data, b2.data[0]!, d);
}
