/**
 * Speech embeddings for wake-word training, computed by the hub's own wake features (runtime/wake/
 * features.ts, onnxruntime-node, 1 thread) over each shard's continuous stream, so a classifier is
 * trained on exactly what it will see in the hub. Writes shard-NNNN.emb next to each shard: float32,
 * 96 values per 80 ms frame (frame f covers the stream up to sample (f + 1) * 1280). Shards with an
 * .emb are kept, so a stopped run resumes; `--part i/n` splits the shards between processes.
 * `--embedding int8` uses the quantized embedding model (wake.embedding: int8) and writes .emb8.
 *
 *   node dist/tools/train/wake/embed.js data/wake/train [--part 0/2] [--embedding int8]
 */
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../runtime/log.js';
import { FRAME_SAMPLES } from '../../../runtime/types/audio.js';
import { loadModel } from '../../../runtime/models/onnx.js';
import { WakeFeatures } from '../../../runtime/wake/features.js';
import { FftMel } from '../../../runtime/wake/mel.js';
import { DEFAULT_MODELS_DIR } from '../../../runtime/models/manifest.js';
import { embeddingModelId } from '../../../runtime/wake/models.js';
import { loadRuntime } from '../../../runtime/models/onnx.js';

export const EMBEDDING_VALUES = 96;
/** A shard's clip list (data.py names them <kind>-NNNN.json); other files in the folder (neighbours.json) are not shards. */
const SHARD_FILE = /^[a-z]+-\d{4}\.json$/;

/** One embedding per whole frame of `stream`, as the hub's wake stage computes them. */
export async function embedStream(stream: Int16Array, features: WakeFeatures): Promise<Float32Array> {
  const frames = Math.floor(stream.length / FRAME_SAMPLES);
  const out = new Float32Array(frames * EMBEDDING_VALUES);
  for (let f = 0; f < frames; f++) {
    await features.push(stream.subarray(f * FRAME_SAMPLES, (f + 1) * FRAME_SAMPLES), true);
    out.set(features.window(1)!, f * EMBEDDING_VALUES);
  }
  return out;
}

/**
 * The shards (paths without .json) of the folder a tool's command line names, those of its `--part i/n`
 * (every n-th from i, so processes can split a folder); exits with a usage line when no folder is named.
 */
export function shardsOfCommandLine(tool: string, argv: readonly string[] = process.argv): string[] {
  const dir = argv[2];
  if (!dir) { process.stderr.write(`usage: node dist/tools/train/wake/${tool}.js <shard-folder> [--part i/n]\n`); process.exit(2); }
  const pi = argv.indexOf('--part');
  const [part, parts] = pi > 0 ? argv[pi + 1]!.split('/').map(Number) as [number, number] : [0, 1];
  return readdirSync(dir).filter((f) => SHARD_FILE.test(f)).sort().filter((_, i) => i % parts === part).map((f) => join(dir, f.replace(/\.json$/, '')));
}

async function main(): Promise<void> {
  const shards = shardsOfCommandLine('embed');
  const runtime = await loadRuntime('onnxruntime-node', silentLogger);
  const int8 = process.argv.includes('--embedding') && process.argv[process.argv.indexOf('--embedding') + 1] === 'int8';
  const ext = int8 ? 'emb8' : 'emb';
  const embedding = await loadModel(runtime, DEFAULT_MODELS_DIR, embeddingModelId(int8 ? 'int8' : 'float'));
  for (const base of shards) {
    if (existsSync(`${base}.${ext}`)) continue;
    const t0 = performance.now();
    const bytes = readFileSync(`${base}.pcm`);
    const stream = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
    const emb = await embedStream(stream, new WakeFeatures(new FftMel(), embedding, 1));
    writeFileSync(`${base}.${ext}.tmp`, emb);
    renameSync(`${base}.${ext}.tmp`, `${base}.${ext}`);
    process.stdout.write(`${base}.${ext}: ${emb.length / EMBEDDING_VALUES} frames in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
