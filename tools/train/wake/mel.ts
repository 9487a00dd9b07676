/**
 * Mel frames for wake-word verifier training, computed as the hub's wake features compute them
 * (runtime/wake/mel.ts, the FFT front end by default: one 1760-sample window per 80 ms frame, silence before
 * the stream). The shipped verifiers were trained on the ONNX model's rows, which agree within 1e-4.
 * Writes <shard>.mel next to each shard: float32, 8 x 32 values per 80 ms frame (frame f's
 * rows come from the audio up to sample (f + 1) * 1280). Shards with a .mel are kept, so a stopped
 * run resumes; `--part i/n` splits the shards between processes. `--wide` writes <shard>.wmel instead: the full-band rows
 * (mel.ts WIDE_MEL, 8 x 40 values per frame) for verifiers trained with `verifier.py --features mel40-8k`.
 *
 *   node dist/tools/train/wake/mel.js data/wake/train [--part 0/2] [--wide]
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { FRAME_SAMPLES } from '../../../runtime/types/audio.js';
import { FftMel, MEL_CONTEXT_SAMPLES, MEL_PER_FRAME, WAKE_MEL, WIDE_MEL, type MelBands } from '../../../runtime/wake/mel.js';
import { shardsOfCommandLine } from './embed.js';

/** Every whole frame's mel rows of `stream`, in order. */
export function melStream(stream: Int16Array, bands: MelBands = WAKE_MEL): Float32Array {
  const front = new FftMel(bands);
  const frames = Math.floor(stream.length / FRAME_SAMPLES);
  const out = new Float32Array(frames * MEL_PER_FRAME * bands.bins);
  const input = new Float32Array(MEL_CONTEXT_SAMPLES + FRAME_SAMPLES);
  for (let f = 0; f < frames; f++) {
    const start = f * FRAME_SAMPLES - MEL_CONTEXT_SAMPLES;
    for (let i = 0; i < input.length; i++) input[i] = start + i < 0 ? 0 : stream[start + i]!;
    front.rowsNow(input).forEach((row, r) => out.set(row, (f * MEL_PER_FRAME + r) * bands.bins));
  }
  return out;
}

async function main(): Promise<void> {
  const wide = process.argv.includes('--wide');
  const [ext, bands] = wide ? ['wmel', WIDE_MEL] : ['mel', WAKE_MEL];
  const shards = shardsOfCommandLine('mel');
  for (const base of shards) {
    if (existsSync(`${base}.${ext}`)) continue;
    const t0 = performance.now();
    const bytes = readFileSync(`${base}.pcm`);
    const mel = melStream(new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2), bands);
    writeFileSync(`${base}.${ext}.tmp`, mel);
    renameSync(`${base}.${ext}.tmp`, `${base}.${ext}`);
    process.stdout.write(`${base}.${ext}: ${mel.length / (MEL_PER_FRAME * bands.bins)} frames in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
