/**
 * Fills or checks each models/<id>/manifest.json from its model file: size, sha256, and the input
 * and output tensors as ONNX Runtime reads them. `--check` changes nothing and exits 1 on any
 * difference (the tests run the same check), so a swapped or re-exported model cannot slip in.
 *
 *   node dist/tools/models/manifest.js [--check]
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { DEFAULT_MODELS_DIR, type ModelManifest, type TensorSpec } from '../../runtime/models/manifest.js';

export async function describeModel(path: string): Promise<Pick<ModelManifest, 'sha256' | 'bytes' | 'inputs' | 'outputs'>> {
  const bytes = readFileSync(path);
  if (!path.endsWith('.onnx')) {
    // A model that is plain weights (JSON): its size and hash; inputs and outputs are written by hand in the manifest.
    const m = JSON.parse(readFileSync(join(path, '..', 'manifest.json'), 'utf8')) as ModelManifest;
    return { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, inputs: m.inputs ?? [], outputs: m.outputs ?? [] };
  }
  const session = await ort.InferenceSession.create(bytes);
  const spec = (m: readonly unknown[]): TensorSpec[] => m.map((x) => {
    const t = x as { name: string; shape?: readonly (number | string)[]; type?: string };
    return { name: t.name, shape: t.shape ?? [], type: t.type ?? 'unknown' };
  });
  const result = {
    sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length,
    inputs: spec(session.inputMetadata as unknown as unknown[]), outputs: spec(session.outputMetadata as unknown as unknown[]),
  };
  await session.release();
  return result;
}

export async function checkManifests(modelsDir = DEFAULT_MODELS_DIR, write = false): Promise<string[]> {
  const problems: string[] = [];
  for (const id of readdirSync(modelsDir).sort()) {
    const mpath = join(modelsDir, id, 'manifest.json');
    if (!existsSync(mpath)) continue;
    const manifest = JSON.parse(readFileSync(mpath, 'utf8')) as ModelManifest;
    if (manifest.id !== id) problems.push(`${mpath}: id "${manifest.id}" is not the folder name`);
    if (!manifest.license || !manifest.source) problems.push(`${mpath}: license and source are required`);
    if (!existsSync(join(modelsDir, id, 'card.md'))) problems.push(`${join(modelsDir, id)}: card.md is missing`);
    const actual = await describeModel(join(modelsDir, id, manifest.file));
    const parts = manifest.parts && await Promise.all(manifest.parts.map(async (p) => ({ file: p.file, ...await describeModel(join(modelsDir, id, p.file)) })));
    const streaming = manifest.streaming && { file: manifest.streaming.file, ...await describeModel(join(modelsDir, id, manifest.streaming.file)) };
    const merged = { ...manifest, ...actual, ...(parts ? { parts } : {}), ...(streaming ? { streaming } : {}) };
    if (JSON.stringify(merged) !== JSON.stringify(manifest)) {
      if (write) writeFileSync(mpath, `${JSON.stringify(merged, null, 2)}\n`);
      else problems.push(`${mpath}: does not match ${manifest.file} (run node dist/tools/models/manifest.js)`);
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  const problems = await checkManifests(DEFAULT_MODELS_DIR, !check);
  for (const p of problems) process.stderr.write(`${p}\n`);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
