/**
 * One call of each wake/VAD model on onnxruntime-node, 1 thread, and of the FFT mel front end (the numbers in the model cards):
 *   node dist/tools/bench/model-calls.js
 */
import { silentLogger } from '../../runtime/log.js';
import { loadModel } from '../../runtime/models/onnx.js';
import { loadEmbedding } from '../../runtime/wake/engine.js';
import { FftMel, WAKE_MEL, WIDE_MEL, type MelBands } from '../../runtime/wake/mel.js';
import { DEFAULT_MODELS_DIR, readManifest } from '../../runtime/models/manifest.js';
import { loadRuntime, type ModelSession, type Tensor } from '../../runtime/models/onnx.js';

async function time(s: ModelSession, feeds: Record<string, Tensor>, n = 300): Promise<number> {
  for (let i = 0; i < 30; i++) await s.run(feeds);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await s.run(feeds);
  return (performance.now() - t0) / n;
}

const f32 = (dims: number[], scale = 1): Tensor => ({ type: 'float32', data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (Math.random() * 2 - 1) * scale), dims });
/**
 * The TypeScript front end that replaces the melspectrogram call, timed the same way (same windows each call);
 * `windows` 1760-sample windows a call (a full-band verifier's 160 rows are 20 of them, computed when it is asked).
 */
function timeFftMel(bands: MelBands = WAKE_MEL, windows = 1, n = 300): number {
  const mel = new FftMel(bands);
  const input = f32([1, 1760], 10000).data as Float32Array;
  const call = () => { for (let w = 0; w < windows; w++) mel.rowsNow(input); };
  for (let i = 0; i < 30; i++) call();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) call();
  return (performance.now() - t0) / n;
}

const VERIFIERS = ['wake-hearth-alexa-verifier', 'wake-hearth-hey_jarvis-verifier', 'wake-hearth-hey_mycroft-verifier', 'wake-hearth-hey_rhasspy-verifier'];
const verifierShape = (id: string): number[] => readManifest(DEFAULT_MODELS_DIR, id).inputs[0]!.shape.map(Number);
/** One after another: timings taken side by side would share the core. */
async function timeVerifiers(): Promise<[string, number][]> {
  const out: [string, number][] = [];
  for (const id of VERIFIERS) out.push([`${id}, ${verifierShape(id).slice(1).join('x')} mel`, await time(await m(id), { mel: f32(verifierShape(id), 2) })]);
  return out;
}
const rt = await loadRuntime('onnxruntime-node', silentLogger);
const m = (id: string) => loadModel(rt, DEFAULT_MODELS_DIR, id);
const vad = await m('silero-vad');
/** One streaming call (8 new mel frames), with the caches a first call over a whole window left. */
async function streamingFeeds(id: string): Promise<[ModelSession, Record<string, Tensor>]> {
  const s = await loadEmbedding(rt, DEFAULT_MODELS_DIR, id, 'streaming');
  const caches = s.inputNames.filter((n) => n !== 'mel');
  const empty = Object.fromEntries(caches.map((n) => { const shape = s.inputShape!(n)!; return [n, { type: 'float32' as const, data: new Float32Array(0), dims: [1, Number(shape[1]), 0, Number(shape[3])] }]; }));
  const out = await s.run({ mel: f32([1, 76, 32, 1]), ...empty });
  return [s, { mel: f32([1, 8, 32, 1]), ...Object.fromEntries(caches.map((n) => [n, { type: 'float32' as const, data: out[`${n}_out`]!.data, dims: out[`${n}_out`]!.dims }])) }];
}
const [floatStream, floatStreamFeeds] = await streamingFeeds('openwakeword-embedding');
const [int8Stream, int8StreamFeeds] = await streamingFeeds('openwakeword-embedding-int8');
const [vnniStream, vnniStreamFeeds] = await streamingFeeds('openwakeword-embedding-int8-vnni');
const vadFeeds = (n: number) => ({ input: f32([1, n], 0.1), sr: { type: 'int64' as const, data: BigInt64Array.from([16000n]), dims: [] }, h: f32([2, 1, 64], 0), c: f32([2, 1, 64], 0) });
const rows: [string, number][] = [
  ['openwakeword-melspectrogram, 1760 samples', await time(await m('openwakeword-melspectrogram'), { input: f32([1, 1760], 10000) })],
  ['FFT mel front end (TypeScript, runtime/wake/mel.ts), 1760 samples', timeFftMel()],
  ['full-band mel rows for a verifier (WIDE_MEL, 160 rows: 20 windows of 1760 samples)', timeFftMel(WIDE_MEL, 20, 100)],
  ['openwakeword-embedding, 76x32x1', await time(await m('openwakeword-embedding'), { input_1: f32([1, 76, 32, 1]) })],
  ['openwakeword-embedding-int8, 76x32x1', await time(await m('openwakeword-embedding-int8'), { input_1: f32([1, 76, 32, 1]) })],
  ['openwakeword-embedding, streaming graph, 8 new rows + caches', await time(floatStream, floatStreamFeeds)],
  ['openwakeword-embedding-int8, streaming graph, 8 new rows + caches', await time(int8Stream, int8StreamFeeds)],
  ['openwakeword-embedding-int8-vnni, 76x32x1 (exact only with VNNI)', await time(await m('openwakeword-embedding-int8-vnni'), { input_1: f32([1, 76, 32, 1]) })],
  ['openwakeword-embedding-int8-vnni, streaming graph (exact only with VNNI)', await time(vnniStream, vnniStreamFeeds)],
  ['wake-hey_jarvis classifier, 16x96', await time(await m('wake-hey_jarvis'), { 'x.1': f32([1, 16, 96]) })],
  ['wake-hearth-alexa classifier, 16x96 (one model)', await time(await m('wake-hearth-alexa'), { embeddings: f32([1, 16, 96]) })],
  ['wake-hearth-hey_jarvis classifier, 16x96 (the mean of two, since 2026-12-06)', await time(await m('wake-hearth-hey_jarvis'), { embeddings: f32([1, 16, 96]) })],
  // Each verifier with the mel rows its manifest asks for (32 or 40 bands), so a retrained verifier cannot break this script.
  ...await timeVerifiers(),
  ['silero-vad, 512 samples', await time(vad, vadFeeds(512))],
  ['silero-vad, 1536 samples', await time(vad, vadFeeds(1536))],
];
for (const [what, ms] of rows) process.stdout.write(`${what}: ${ms.toFixed(3)} ms per call\n`);
