/**
 * How close the int8 embedding model (quantize.py) comes to the float one on the same mel windows
 * (a calib.ts file made from other shards than the calibration's): cosine similarity and relative
 * error of each 96-value embedding, on onnxruntime-node, 1 thread, as the hub runs them.
 *
 *   node dist/tools/train/wake/check-quantized.js <float.onnx> <int8.onnx> <windows.f32>
 */
import { readFileSync } from 'node:fs';
import { silentLogger } from '../../../runtime/log.js';
import { EMBEDDING_WINDOW_VALUES } from '../../../runtime/wake/features.js';
import { loadRuntime, type ModelSession } from '../../../runtime/models/onnx.js';


async function embed(session: ModelSession, window: Float32Array): Promise<Float32Array> {
  const out = await session.run({ [session.inputNames[0]!]: { type: 'float32', data: window, dims: [1, 76, 32, 1] } });
  return out[session.outputNames[0]!]!.data;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < a.length; i++) { ab += a[i]! * b[i]!; aa += a[i]! * a[i]!; bb += b[i]! * b[i]!; }
  return ab / Math.sqrt(aa * bb);
}

async function main(): Promise<void> {
  const [floatPath, int8Path, windowsPath] = process.argv.slice(2);
  if (!floatPath || !int8Path || !windowsPath) { process.stderr.write('usage: check-quantized.js <float.onnx> <int8.onnx> <windows.f32>\n'); process.exit(2); }
  const rt = await loadRuntime('onnxruntime-node', silentLogger);
  const [f, q] = [await rt.load(readFileSync(floatPath), floatPath), await rt.load(readFileSync(int8Path), int8Path)];
  const bytes = readFileSync(windowsPath);
  const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const cos: number[] = [];
  let errSq = 0, refSq = 0;
  for (let at = 0; at + EMBEDDING_WINDOW_VALUES <= all.length; at += EMBEDDING_WINDOW_VALUES) {
    const w = all.slice(at, at + EMBEDDING_WINDOW_VALUES);
    const [a, b] = [await embed(f, w), await embed(q, w)];
    cos.push(cosine(a, b));
    for (let i = 0; i < a.length; i++) { errSq += (a[i]! - b[i]!) ** 2; refSq += a[i]! ** 2; }
  }
  cos.sort((x, y) => x - y);
  const mean = cos.reduce((s, c) => s + c, 0) / cos.length;
  process.stdout.write(`${cos.length} windows: cosine mean ${mean.toFixed(4)}, 1st percentile ${cos[Math.floor(cos.length / 100)]!.toFixed(4)}, min ${cos[0]!.toFixed(4)}; relative error ${Math.sqrt(errSq / refSq).toFixed(4)}\n`);
}

await main();
