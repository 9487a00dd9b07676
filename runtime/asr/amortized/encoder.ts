/**
 * The compute-amortized Transformer, streaming: audio in, letter posteriors out, one chunk (240 ms)
 * at a time. Each block is its own ONNX graph with an arbitrator graph in front of it; when the
 * arbitrator says the chunk is easy, the block is not run at all and leaves no keys or values for
 * later chunks (exactly as in training, tools/train/asr/model.py), so the skipped share is compute
 * really saved, not an early exit.
 */
import type { ModelSession } from '../../models/onnx.js';
import type { BlockArbiter } from './arbiter.js';

/** model.json, written by tools/train/asr/export.py. */
export interface AmortizedSpec {
  readonly alphabet: string;
  readonly chunkFrames: number;
  readonly frameMs: number;
  readonly leftChunks: number;
  readonly samplesPerChunk: number;
  readonly windowOverlap: number;
  readonly dModel: number;
  readonly heads: number;
  readonly headDim: number;
  readonly blocks: number;
  /** Arbitrator probability over which a block runs. */
  readonly threshold: number;
}

export interface AmortizedGraphs {
  readonly frontend: ModelSession;
  /** In TypeScript (arbiter.ts): too small to be worth an onnxruntime call. */
  readonly arbiters: readonly BlockArbiter[];
  readonly blocks: readonly ModelSession[];
  readonly head: ModelSession;
}

interface Cache { k: Float32Array; v: Float32Array; valid: Float32Array }

export class AmortizedEncoder {
  private pending = new Float32Array(0);
  private readonly caches: Cache[];
  blocksRun = 0;
  blocksTotal = 0;

  /** `threshold`: the knob at run time (0 runs every block; the model's own is in spec.threshold). */
  constructor(private readonly spec: AmortizedSpec, private readonly graphs: AmortizedGraphs, private readonly threshold = spec.threshold) {
    const slots = spec.leftChunks * spec.chunkFrames;
    this.caches = Array.from({ length: spec.blocks }, () => ({
      k: new Float32Array(spec.heads * slots * spec.headDim), v: new Float32Array(spec.heads * slots * spec.headDim), valid: new Float32Array(slots),
    }));
  }

  /** Samples (int16 values) in; the posteriors of every chunk completed by them out, [frames][symbols]. */
  async push(samples: Int16Array): Promise<Float32Array[]> {
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    this.pending = joined;
    const out: Float32Array[] = [];
    const need = this.spec.samplesPerChunk + this.spec.windowOverlap;
    while (this.pending.length >= need) {
      out.push(...await this.chunk(this.pending.subarray(0, need), this.spec.chunkFrames));
      this.pending = this.pending.slice(this.spec.samplesPerChunk);
    }
    return out;
  }

  /** The last, partial chunk: padded with silence, padded frames hidden from attention and dropped. */
  async flush(): Promise<Float32Array[]> {
    const featureFrames = Math.floor((this.pending.length - this.spec.windowOverlap) / 160);
    const frames = Math.floor(featureFrames / (this.spec.samplesPerChunk / 160 / this.spec.chunkFrames));
    if (frames <= 0) return [];
    const padded = new Float32Array(this.spec.samplesPerChunk + this.spec.windowOverlap);
    padded.set(this.pending.subarray(0, padded.length));
    this.pending = new Float32Array(0);
    return this.chunk(padded, frames);
  }

  private async chunk(samples: Float32Array, realFrames: number): Promise<Float32Array[]> {
    const { chunkFrames: C, dModel: d, heads: H, headDim: dh, leftChunks } = this.spec;
    const slots = leftChunks * C;
    const valid = new Float32Array(C).map((_, i) => (i < realFrames ? 1 : 0));
    let x = (await this.graphs.frontend.run({ samples: { type: 'float32', data: samples, dims: [1, samples.length] } })).x!.data;
    for (let i = 0; i < this.spec.blocks; i++) {
      const cache = this.caches[i]!;
      this.blocksTotal++;
      let run = this.threshold <= 0;
      if (!run) run = this.graphs.arbiters[i]!.pRun(x, valid) > this.threshold;
      const allValid = new Float32Array(slots + C);
      allValid.set(cache.valid);
      allValid.set(valid, slots);
      let kNew: Float32Array | undefined, vNew: Float32Array | undefined;
      if (run) {
        this.blocksRun++;
        const o = await this.graphs.blocks[i]!.run({
          x: { type: 'float32', data: x, dims: [1, C, d] },
          k_cache: { type: 'float32', data: cache.k, dims: [1, H, slots, dh] },
          v_cache: { type: 'float32', data: cache.v, dims: [1, H, slots, dh] },
          valid: { type: 'float32', data: allValid, dims: [1, slots + C] },
        });
        x = o.y!.data;
        kNew = o.k_new!.data;
        vNew = o.v_new!.data;
      }
      // Slide the left context one chunk; a skipped block's chunk stays invisible (valid 0).
      shift(cache.k, H, slots, dh, C, kNew);
      shift(cache.v, H, slots, dh, C, vNew);
      cache.valid.copyWithin(0, C);
      cache.valid.set(run ? valid : new Float32Array(C), slots - C);
    }
    const logp = (await this.graphs.head.run({ x: { type: 'float32', data: x, dims: [1, C, d] } })).logp!.data;
    const V = this.spec.alphabet.length + 1;
    return Array.from({ length: realFrames }, (_, t) => logp.subarray(t * V, (t + 1) * V));
  }
}

/** cache [H, slots, dh] drops its first C frames per head and takes `fresh` [H, C, dh] (zeros when absent) at the end. */
function shift(cache: Float32Array, H: number, slots: number, dh: number, C: number, fresh: Float32Array | undefined): void {
  for (let h = 0; h < H; h++) {
    const base = h * slots * dh;
    cache.copyWithin(base, base + C * dh, base + slots * dh);
    const tail = base + (slots - C) * dh;
    if (fresh) cache.set(fresh.subarray(h * C * dh, (h + 1) * C * dh), tail);
    else cache.fill(0, tail, tail + C * dh);
  }
}
