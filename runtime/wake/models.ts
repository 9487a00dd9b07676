/** Which wake-word and embedding models the config names, resolved against their manifests (models/manifest.ts). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { HearthConfig } from '../config/config.js';
import { HearthError } from '../types/errors.js';
import { INT8_EMBEDDING } from '../models/cpu.js';
import { readManifest } from '../models/manifest.js';
import type { WakeWordSettings } from './detector.js';

export function embeddingModelId(embedding: HearthConfig['wake']['embedding']): string {
  return embedding === 'int8' ? INT8_EMBEDDING : 'openwakeword-embedding';
}

/** What the wake engine takes per word: the decider's settings, the model folder and its verifier's, if any. */
export type ResolvedWakeWord = WakeWordSettings & { readonly modelId: string; readonly verifierId?: string };

/**
 * Each configured wake word with its model folder (its own `model`, else the one `classifiers`
 * names), threshold and patience (its own, else the model's manifest's: a trained model ships the
 * operating point its measured results hold for, and a config that says nothing should get those),
 * and the verifier its manifest names unless `verifiers` is false (then the point without it).
 */
export function resolveWakeWords(wake: Pick<HearthConfig['wake'], 'classifiers' | 'words'> & { readonly verifiers?: boolean }, modelsDir: string): ResolvedWakeWord[] {
  return wake.words.map((w) => {
    const modelId = w.model ?? (wake.classifiers === 'hearth' ? `wake-hearth-${w.id}` : `wake-${w.id}`);
    if (!existsSync(join(modelsDir, modelId, 'manifest.json'))) {
      throw new HearthError('model-missing', 'config', `Wake word "${w.id}": no model folder ${join(modelsDir, modelId)} (wake.classifiers is ${wake.classifiers}). Set wake.words[].model to a folder in ${modelsDir}, or pick another wake.classifiers.`, { modelId });
    }
    const manifest = readManifest(modelsDir, modelId);
    const verifierId = wake.verifiers !== false ? manifest.verifier : undefined;
    const point = verifierId ? manifest : manifest.withoutVerifier ?? manifest;
    return {
      id: w.id, modelId, threshold: w.threshold ?? point.threshold ?? 0.5, patienceFrames: w.patienceFrames ?? point.patienceFrames ?? 1, refractoryMs: w.refractoryMs,
      ...(verifierId ? { verifierId } : {}),
    };
  });
}
