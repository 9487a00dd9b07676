/**
 * Models live in models/<id>/ with a manifest.json (file, sha256, inputs, outputs, license). A model
 * is checked against its manifest before it is loaded, so a missing, truncated or swapped file is a
 * clear error naming the file, never a crash deep inside ONNX Runtime.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HearthError } from '../types/errors.js';

export interface TensorSpec { readonly name: string; readonly shape: readonly (number | string)[]; readonly type: string }

export interface ModelManifest {
  readonly id: string;
  readonly file: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  readonly sampleRateHz?: number;
  readonly license: string;
  readonly source: string;
  /** Wake-word models: the threshold and patience (frames in a row) the card's numbers were measured with. */
  readonly threshold?: number;
  readonly patienceFrames?: number;
  /**
   * Wake-word classifiers: the model folder of a verifier (a second stage over mel frames that may veto a
   * detection); `threshold` and `patienceFrames` are then the point chosen with it, and `withoutVerifier`
   * the one for the classifier alone (wake.verifiers: false).
   */
  readonly verifier?: string;
  readonly withoutVerifier?: { readonly threshold: number; readonly patienceFrames: number };
  /** Verifiers: the mel rows they read, 'mel32' (openWakeWord's, the default) or 'mel40-8k' (mel.ts WIDE_MEL). */
  readonly features?: string;
  /**
   * The speech embedding: the same network as a streaming graph (tools/train/wake/streaming.py), which the hub runs
   * instead of `file` (runtime/wake/embedder.ts); checked like `file`.
   */
  readonly streaming?: ModelPart;
  /** A model made of several graphs (the amortized ASR: one per block): each one checked like `file`. */
  readonly parts?: readonly ModelPart[];
}

export type ModelPart = Pick<ModelManifest, 'file' | 'sha256' | 'bytes' | 'inputs' | 'outputs'>;

/** models/ of this installation: found upwards from this file, which runs from runtime/ in tests and dist/runtime/ when built. */
export const DEFAULT_MODELS_DIR = findModelsDir(dirname(fileURLToPath(import.meta.url)));

function findModelsDir(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'models'))) return join(dir, 'models');
    if (dirname(dir) === dir) return join(from, 'models');
  }
}

export function readManifest(modelsDir: string, id: string): ModelManifest {
  const path = join(modelsDir, id, 'manifest.json');
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ModelManifest;
  } catch (err) {
    throw new HearthError('model-missing', 'environment', `Model ${id}: cannot read ${path} (${(err as Error).message}). Check wake.modelsDir, or restore models/ from the repository.`, { path }, err);
  }
}

/** The model's bytes, verified against the manifest's size and sha256. */
export function readModelBytes(modelsDir: string, manifest: ModelManifest): { bytes: Uint8Array; path: string } {
  const path = join(modelsDir, manifest.id, manifest.file);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new HearthError('model-missing', 'environment', `Model file ${path} cannot be read (${(err as Error).message}). Restore models/ from the repository.`, { path }, err);
  }
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== manifest.bytes || sha !== manifest.sha256) {
    throw new HearthError('model-corrupt', 'environment', `Model file ${path} does not match its manifest (${bytes.length} bytes, sha256 ${sha.slice(0, 12)}..., expected ${manifest.bytes} bytes, ${manifest.sha256.slice(0, 12)}...). Restore it from the repository.`, { path });
  }
  return { bytes, path };
}

/** The model folder that `wake.embedding` names (on a VNNI CPU the engine loads the int8-weight copy instead: cpu.ts). */
