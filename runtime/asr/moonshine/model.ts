/**
 * Moonshine tiny (Useful Sensors, MIT; models/asr-moonshine-tiny): an encoder over the whole utterance's samples and
 * an autoregressive decoder over its tokenizer's pieces, trained on real people's speech. Each decoder step takes the
 * previous token and the key/value cache; a hypothesis is a chain of steps, and steps are cached by prefix so the open
 * and the grammar search share the ones they have in common.
 */
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import { HearthError } from '../../types/errors.js';
import { readManifest, readModelBytes, type ModelManifest } from '../../models/manifest.js';
import { loadRuntime, type ModelSession, type RuntimeId, type Tensor } from '../../models/onnx.js';
import { collectSoon } from '../../models/gc.js';

export const MOONSHINE_MODEL_ID = 'asr-moonshine-tiny';
const LAYERS = 6, KV_HEADS = 8, HEAD_DIM = 36;
export const BOS = 1, EOS = 2;

export interface MoonshineModel {
  readonly encoder: ModelSession;
  readonly decoder: ModelSession;
  /** The tokenizer's pieces by id ("▁" marks a word start, "<0xNN>" a byte). */
  readonly pieces: readonly string[];
}

function part(modelsDir: string, manifest: ModelManifest, file: string) {
  const p = manifest.parts?.find((x) => x.file === file);
  if (!p) throw new HearthError('model-corrupt', 'environment', `${join(modelsDir, manifest.id, 'manifest.json')} does not list ${file}. Restore models/ from the repository.`);
  return readModelBytes(modelsDir, { ...manifest, ...p });
}

/** Checked against the manifest on the calling thread (a missing file fails at start-up, by name); the sessions load after. */
export function loadMoonshine(modelsDir: string, runtime: 'auto' | RuntimeId, log: Logger): Promise<MoonshineModel> {
  const manifest = readManifest(modelsDir, MOONSHINE_MODEL_ID);
  const tokens = readModelBytes(modelsDir, manifest);
  const enc = part(modelsDir, manifest, 'encoder_model.onnx');
  const dec = part(modelsDir, manifest, 'decoder_model_merged.onnx');
  const pieces = Buffer.from(tokens.bytes).toString('utf8').split('\n');
  return Promise.all([loadRuntime(runtime, log), loadRuntime(runtime, log, 1, false)]).then(async ([rt, unpacked]) => {
    const model = { encoder: await rt.load(enc.bytes, enc.path), decoder: await unpacked.load(dec.bytes, dec.path), pieces };
    collectSoon(0); // the 28 MB of file bytes read for the checksum and the sessions are garbage now
    return model;
  });
}

type Cache = Record<string, Tensor>;
const pastName = (layer: number, part: 'decoder' | 'encoder', kv: 'key' | 'value') => `past_key_values.${layer}.${part}.${kv}`;
/** What a step after the first fetches: the logits and the decoder's own growing cache. */
const STEP_OUTPUTS = ['logits', ...Array.from({ length: LAYERS }, (_, l) => (['key', 'value'] as const).map((kv) => `present.${l}.decoder.${kv}`)).flat()];

/** One step's outcome: log-probabilities of the next token, and the cache after it (both empty once released). */
export interface Step { readonly logProbs: Float32Array; readonly cache: Cache }
const RELEASED: Step = { logProbs: new Float32Array(0), cache: {} };

/** Decoding one utterance: the encoder's output and the steps taken so far, by token prefix. */
export class Utterance {
  private readonly steps = new Map<string, Promise<Step>>();
  private readonly done = new Map<string, Step>();

  private constructor(private readonly model: MoonshineModel, private readonly hidden: Tensor) {}

  static async encode(model: MoonshineModel, samples: Float32Array): Promise<Utterance> {
    const out = await model.encoder.run({ input_values: { type: 'float32', data: samples, dims: [1, samples.length] } });
    const h = out.last_hidden_state!;
    return new Utterance(model, { type: 'float32', data: h.data, dims: h.dims });
  }

  /** The distribution after `prefix` (token ids after BOS). */
  next(prefix: readonly number[]): Promise<Step> {
    const key = prefix.join(',');
    let s = this.steps.get(key);
    if (!s) {
      s = (prefix.length === 0 ? Promise.resolve(undefined) : this.next(prefix.slice(0, -1)))
        .then((before) => this.run(prefix.length === 0 ? BOS : prefix.at(-1)!, before?.cache))
        .then((step) => { this.done.set(key, step); return step; });
      this.steps.set(key, s);
    }
    return s;
  }

  /**
   * Frees a step a search has finished with: its log-probabilities and its cache (128 KB and up to a few hundred KB a
   * step; a beam holds dozens of steps). Only once the steps after it have run: they read its cache.
   */
  release(prefix: readonly number[]): void {
    const key = prefix.join(',');
    if (this.done.has(key)) { this.steps.set(key, Promise.resolve(RELEASED)); this.done.delete(key); }
  }

  private async run(token: number, cache: Cache | undefined): Promise<Step> {
    const feeds: Cache = {
      input_ids: { type: 'int64', data: BigInt64Array.of(BigInt(token)), dims: [1, 1] },
      encoder_hidden_states: this.hidden,
      use_cache_branch: { type: 'bool', data: Uint8Array.of(cache ? 1 : 0), dims: [1] },
    };
    for (let l = 0; l < LAYERS; l++) for (const p of ['decoder', 'encoder'] as const) for (const kv of ['key', 'value'] as const) {
      const name = pastName(l, p, kv);
      feeds[name] = cache?.[name] ?? { type: 'float32', data: new Float32Array(0), dims: [1, KV_HEADS, 0, HEAD_DIM] };
    }
    // The encoder's keys and values are computed on the first step only; later steps would hand them back again (a
    // copy out of the runtime each time), so they are not fetched.
    const out = await this.model.decoder.run(feeds, cache ? STEP_OUTPUTS : undefined);
    const next: Cache = {};
    for (let l = 0; l < LAYERS; l++) for (const p of ['decoder', 'encoder'] as const) for (const kv of ['key', 'value'] as const) {
      const name = pastName(l, p, kv);
      const o = p === 'encoder' && cache ? undefined : out[name.replace('past_key_values', 'present')]!;
      next[name] = o ? { type: 'float32', data: o.data, dims: o.dims } : cache![name]!;
    }
    return { logProbs: logSoftmaxInPlace(out.logits!.data), cache: next };
  }
}

/** In place: the runtime's output buffer is this step's alone, so a 128 KB copy per step is not needed. */
function logSoftmaxInPlace(logits: Float32Array): Float32Array {
  let max = -Infinity;
  for (const x of logits) if (x > max) max = x;
  let sum = 0;
  for (const x of logits) sum += Math.exp(x - max);
  const z = max + Math.log(sum);
  for (let i = 0; i < logits.length; i++) logits[i]! -= z;
  return logits;
}
