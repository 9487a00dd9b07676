/**
 * Calibration inputs for quantizing the embedding model (quantize.py): the 76x32 mel windows the
 * hub's own wake features (runtime/wake/features.ts) feed the embedding model, recorded at the
 * session seam while they run over training shards (never the eval set). Every `--every`-th window
 * of the first `--seconds` of each shard is kept. Writes <out>: float32, 76 * 32 values a window.
 *
 *   node dist/tools/train/wake/calib.js data/wake/train data/wake/calib.f32 [--shards shard-0001,near-0001,speech-0001]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../runtime/log.js';
import { FRAME_SAMPLES, SAMPLE_RATE_HZ } from '../../../runtime/types/audio.js';
import { loadModel } from '../../../runtime/models/onnx.js';
import { EMBEDDING_WINDOW_VALUES, WakeFeatures } from '../../../runtime/wake/features.js';
import { FftMel } from '../../../runtime/wake/mel.js';
import { DEFAULT_MODELS_DIR } from '../../../runtime/models/manifest.js';
import { loadRuntime, type ModelSession } from '../../../runtime/models/onnx.js';


function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : fallback;
}

/** The embedding session, passing every call through and keeping each `every`-th input window. */
function recording(inner: ModelSession, every: number, kept: Float32Array[]): ModelSession {
  let seen = 0;
  return {
    inputNames: inner.inputNames,
    outputNames: inner.outputNames,
    async run(feeds) {
      const input = feeds[inner.inputNames[0]!]!.data as Float32Array;
      for (let at = 0; at < input.length; at += EMBEDDING_WINDOW_VALUES) {
        if (seen++ % every === 0) kept.push(input.slice(at, at + EMBEDDING_WINDOW_VALUES));
      }
      return inner.run(feeds);
    },
    release: () => inner.release(),
  };
}

async function main(): Promise<void> {
  const [dir, out] = process.argv.slice(2);
  if (!dir || !out) { process.stderr.write('usage: node dist/tools/train/wake/calib.js <shard-folder> <out.f32> [--shards a,b] [--seconds 300] [--every 4]\n'); process.exit(2); }
  const shards = flag('--shards', 'shard-0001,near-0001,speech-0001').split(',');
  const seconds = Number(flag('--seconds', '300'));
  const every = Number(flag('--every', '4'));
  const runtime = await loadRuntime('onnxruntime-node', silentLogger);
  const embedding = await loadModel(runtime, DEFAULT_MODELS_DIR, 'openwakeword-embedding');
  const kept: Float32Array[] = [];
  for (const shard of shards) {
    const bytes = readFileSync(join(dir, `${shard}.pcm`));
    const stream = new Int16Array(bytes.buffer, bytes.byteOffset, Math.min(bytes.length / 2, seconds * SAMPLE_RATE_HZ));
    const features = new WakeFeatures(new FftMel(), recording(embedding, every, kept), 1);
    for (let at = 0; at + FRAME_SAMPLES <= stream.length; at += FRAME_SAMPLES) await features.push(stream.subarray(at, at + FRAME_SAMPLES), true);
  }
  const all = new Float32Array(kept.length * EMBEDDING_WINDOW_VALUES);
  kept.forEach((w, i) => all.set(w, i * EMBEDDING_WINDOW_VALUES));
  writeFileSync(out, all);
  process.stdout.write(`${out}: ${kept.length} windows from ${shards.join(', ')}\n`);
}

await main();
