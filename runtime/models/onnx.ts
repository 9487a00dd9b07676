/**
 * The one seam to ONNX Runtime. onnxruntime-node (native, CPU) is preferred; when its binding cannot
 * load on this machine, onnxruntime-web runs the same models on WASM. Both are single-threaded: the
 * hub listens all day beside other work, and one thread per model keeps the cost flat and predictable.
 */
import type { Logger } from '../log.js';
import { HearthError } from '../types/errors.js';
import { readManifest, readModelBytes } from './manifest.js';

export type RuntimeId = 'onnxruntime-node' | 'onnxruntime-web';

export interface Tensor {
  readonly type: 'float32' | 'int64' | 'bool';
  readonly data: Float32Array | BigInt64Array | Uint8Array;
  readonly dims: readonly number[];
}

export interface ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** An input's shape as the graph declares it (symbolic dimensions as their names), when the runtime says. */
  inputShape?(name: string): readonly (number | string)[] | undefined;
  /**
   * Runs the model; outputs as flat float arrays with their dims. `outputs`: only these (each output fetched is a new
   * buffer for the garbage collector; a decoder's unchanged cache need not be).
   */
  run(feeds: Readonly<Record<string, Tensor>>, outputs?: readonly string[]): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>>;
  release(): Promise<void>;
}

export interface OnnxRuntime {
  readonly id: RuntimeId;
  /** A session over the model bytes; `source` names the file in errors. */
  load(bytes: Uint8Array, source: string): Promise<ModelSession>;
}

type Ort = typeof import('onnxruntime-node');

/**
 * `threads`: ONNX Runtime's intra-op threads per model call (1: the models are small; a board's profile may say more).
 * `prepack`: let kernels keep a packed copy of their weights (faster; off for Moonshine's decoder, whose two branches
 * each packed their own copy of the same weights: 8 MB).
 */
export async function loadRuntime(prefer: 'auto' | RuntimeId, log: Logger, threads = 1, prepack = true): Promise<OnnxRuntime> {
  if (prefer !== 'onnxruntime-web') {
    try {
      const ort = (await import('onnxruntime-node')) as unknown as Ort;
      // No CPU memory arena: the arena keeps the high-water mark of every session (298 MB peak RSS for
      // wake + VAD here); without it 139 MB, at the same speed (tools/bench/wake.ts).
      return wrap('onnxruntime-node', ort, {
        intraOpNumThreads: threads, interOpNumThreads: 1, enableCpuMemArena: false,
        ...(prepack ? {} : { extra: { session: { disable_prepacking: '1' } } }),
      });
    } catch (err) {
      if (prefer === 'onnxruntime-node') {
        throw new HearthError('onnx-runtime-missing', 'environment', `onnxruntime-node cannot load here (${(err as Error).message}). Run "npm ci" again, or set wake.runtime to onnxruntime-web.`, {}, err);
      }
      log.warn({ err: (err as Error).message, code: 'onnx-native-unavailable' }, 'onnxruntime-node cannot load; using onnxruntime-web (WASM), which is slower');
    }
  }
  try {
    const ort = (await import('onnxruntime-web')) as unknown as Ort & { env: { wasm: { numThreads: number } } };
    ort.env.wasm.numThreads = threads;
    return wrap('onnxruntime-web', ort, {});
  } catch (err) {
    throw new HearthError('onnx-runtime-missing', 'environment', `Neither onnxruntime-node nor onnxruntime-web can load (${(err as Error).message}). Run "npm ci" in the hub's folder.`, {}, err);
  }
}

function wrap(id: RuntimeId, ort: Ort, options: Record<string, unknown>): OnnxRuntime {
  return {
    id,
    async load(bytes, source) {
      let session: Awaited<ReturnType<Ort['InferenceSession']['create']>>;
      try {
        session = await ort.InferenceSession.create(bytes, options as never);
      } catch (err) {
        throw new HearthError('model-corrupt', 'environment', `${source} is not a model ${id} can load (${(err as Error).message}). Restore it from the repository (models/).`, { source }, err);
      }
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        inputShape(name) {
          const meta = session.inputMetadata[session.inputNames.indexOf(name)];
          return meta?.isTensor ? meta.shape : undefined;
        },
        async run(feeds, outputs) {
          const ortFeeds: Record<string, InstanceType<Ort['Tensor']>> = {};
          for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new ort.Tensor(t.type, t.data, t.dims as number[]);
          const out = outputs ? await session.run(ortFeeds, outputs as string[]) : await session.run(ortFeeds);
          const result: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
          for (const [name, t] of Object.entries(out)) result[name] = { data: t.data as Float32Array, dims: t.dims };
          return result;
        },
        release: () => session.release(),
      };
    },
  };
}

/** A model from models/<id>/, checked against its manifest first. */
export async function loadModel(runtime: OnnxRuntime, modelsDir: string, id: string): Promise<ModelSession> {
  const manifest = readManifest(modelsDir, id);
  const { bytes, path } = readModelBytes(modelsDir, manifest);
  return runtime.load(bytes, path);
}
