/**
 * Mel frames for wake-word verifier training, computed as the hub's wake features compute them
 * (runtime/wake/features.ts melRows: one 1760-sample window per 80 ms frame, silence before the
 * stream). Writes <shard>.mel next to each shard: float32, 8 x 32 values per 80 ms frame (frame f's
 * rows come from the audio up to sample (f + 1) * 1280). Shards with a .mel are kept, so a stopped
 * run resumes; `--part i/n` splits the shards between processes.
 *
 *   node dist/tools/train/wake/mel.js data/wake/train [--part 0/2]
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { silentLogger } from '../../../runtime/log.js';
import { FRAME_SAMPLES } from '../../../runtime/types/audio.js';
import { loadModel } from '../../../runtime/wake/engine.js';
import { MEL_BINS, MEL_CONTEXT_SAMPLES, MEL_PER_FRAME, melRows } from '../../../runtime/wake/features.js';
import { DEFAULT_MODELS_DIR } from '../../../runtime/wake/models.js';
import { loadRuntime, type ModelSession } from '../../../runtime/wake/onnx.js';
import { shardsOfCommandLine } from './embed.js';

/** Every whole frame's mel rows of `stream`, in order. */
export async function melStream(stream: Int16Array, model: ModelSession): Promise<Float32Array> {
  const frames = Math.floor(stream.length / FRAME_SAMPLES);
  const out = new Float32Array(frames * MEL_PER_FRAME * MEL_BINS);
  const input = new Float32Array(MEL_CONTEXT_SAMPLES + FRAME_SAMPLES);
  for (let f = 0; f < frames; f++) {
    const start = f * FRAME_SAMPLES - MEL_CONTEXT_SAMPLES;
    for (let i = 0; i < input.length; i++) input[i] = start + i < 0 ? 0 : stream[start + i]!;
    (await melRows(model, input)).forEach((row, r) => out.set(row, (f * MEL_PER_FRAME + r) * MEL_BINS));
  }
  return out;
}

async function main(): Promise<void> {
  const shards = shardsOfCommandLine('mel');
  const runtime = await loadRuntime('onnxruntime-node', silentLogger);
  const model = await loadModel(runtime, DEFAULT_MODELS_DIR, 'openwakeword-melspectrogram');
  for (const base of shards) {
    if (existsSync(`${base}.mel`)) continue;
    const t0 = performance.now();
    const bytes = readFileSync(`${base}.pcm`);
    const mel = await melStream(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2), model);
    writeFileSync(`${base}.mel.tmp`, mel);
    renameSync(`${base}.mel.tmp`, `${base}.mel`);
    process.stdout.write(`${base}.mel: ${mel.length / (MEL_PER_FRAME * MEL_BINS)} frames in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
