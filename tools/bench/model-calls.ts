/**
 * One call of each wake/VAD model on onnxruntime-node, 1 thread (the numbers in the model cards):
 *   node dist/tools/bench/model-calls.js
 */
import { silentLogger } from '../../runtime/log.js';
import { loadModel } from '../../runtime/wake/engine.js';
import { DEFAULT_MODELS_DIR } from '../../runtime/wake/models.js';
import { loadRuntime, type ModelSession, type Tensor } from '../../runtime/wake/onnx.js';

async function time(s: ModelSession, feeds: Record<string, Tensor>, n = 300): Promise<number> {
  for (let i = 0; i < 30; i++) await s.run(feeds);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await s.run(feeds);
  return (performance.now() - t0) / n;
}

const f32 = (dims: number[], scale = 1): Tensor => ({ type: 'float32', data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (Math.random() * 2 - 1) * scale), dims });
const rt = await loadRuntime('onnxruntime-node', silentLogger);
const m = (id: string) => loadModel(rt, DEFAULT_MODELS_DIR, id);
const vad = await m('silero-vad');
const vadFeeds = (n: number) => ({ input: f32([1, n], 0.1), sr: { type: 'int64' as const, data: BigInt64Array.from([16000n]), dims: [] }, h: f32([2, 1, 64], 0), c: f32([2, 1, 64], 0) });
const rows: [string, number][] = [
  ['openwakeword-melspectrogram, 1760 samples', await time(await m('openwakeword-melspectrogram'), { input: f32([1, 1760], 10000) })],
  ['openwakeword-embedding, 76x32x1', await time(await m('openwakeword-embedding'), { input_1: f32([1, 76, 32, 1]) })],
  ['openwakeword-embedding-int8, 76x32x1', await time(await m('openwakeword-embedding-int8'), { input_1: f32([1, 76, 32, 1]) })],
  ['openwakeword-embedding-int8-vnni, 76x32x1 (exact only with VNNI)', await time(await m('openwakeword-embedding-int8-vnni'), { input_1: f32([1, 76, 32, 1]) })],
  ['wake-hey_jarvis classifier, 16x96', await time(await m('wake-hey_jarvis'), { 'x.1': f32([1, 16, 96]) })],
  ['wake-hearth-hey_jarvis classifier, 16x96', await time(await m('wake-hearth-hey_jarvis'), { embeddings: f32([1, 16, 96]) })],
  ['wake-hearth-hey_mycroft-verifier, 160x32 mel', await time(await m('wake-hearth-hey_mycroft-verifier'), { mel: f32([1, 160, 32], 2) })],
  ['silero-vad, 512 samples', await time(vad, vadFeeds(512))],
  ['silero-vad, 1536 samples', await time(vad, vadFeeds(1536))],
];
for (const [what, ms] of rows) process.stdout.write(`${what}: ${ms.toFixed(3)} ms per call\n`);
