/**
 * Where a frame's time goes: the bench's speech stream through wake (3 words, int8, no gating) + VAD, timing every
 * ONNX Runtime call by model, as the hub makes them (after one another, so each model meets the caches the others left).
 * It times onnxruntime-node's InferenceSession.run from outside, the one seam every model call passes; the rest of a frame
 * (the FFT mel front end, buffers, the event loop) shows as "outside ONNX Runtime". Each run times the hub's FFT mel
 * front end and openWakeWord's melspectrogram model in turn.
 *
 *   node dist/tools/bench/wake-breakdown.js [runs]
 */
import * as ort from 'onnxruntime-node';
import { framesOf, NO_GATING, speechStream, timeHearth } from './wake.js';

type Run = ort.InferenceSession['run'];
/** A model by the names of its inputs (the sessions carry no file name). */
function modelName(s: ort.InferenceSession): string {
  const inputs = s.inputNames.join(',');
  if (inputs === 'input') return 'melspectrogram';
  if (inputs.startsWith('mel,cache0')) return 'embedding (streaming)';
  if (inputs === 'input_1') return 'embedding (window)';
  if (inputs.startsWith('input,sr')) return 'silero-vad';
  return `classifier (input ${inputs}, output ${s.outputNames[0]})`;
}
const calls = new Map<string, { ms: number; n: number }>();
const proto = (ort.InferenceSession as unknown as { prototype: ort.InferenceSession }).prototype;
const original: Run = proto.run;
proto.run = async function (this: ort.InferenceSession, ...args: Parameters<Run>) {
  const t0 = performance.now();
  const out = await original.apply(this, args);
  const key = modelName(this);
  const c = calls.get(key) ?? { ms: 0, n: 0 };
  c.ms += performance.now() - t0;
  c.n++;
  calls.set(key, c);
  return out;
} as Run;

const frames = framesOf(speechStream(60).samples);
const runs = Number(process.argv[2] ?? 3);
for (let r = 0; r < runs; r++) {
  for (const mel of ['fft', 'onnx'] as const) {
    calls.clear();
    const t = await timeHearth('onnxruntime-node', ['hey_jarvis', 'alexa', 'hey_mycroft'], frames, NO_GATING, 'int8', { mel });
    const inOrt = [...calls.values()].reduce((sum, c) => sum + c.ms, 0) / frames.length;
    process.stdout.write(`run ${r + 1}, mel by ${mel}: ${t.mean.toFixed(3)} ms per frame (wake + VAD, 3 words); outside ONNX Runtime ${(t.mean - inOrt).toFixed(3)} ms\n`);
    for (const [model, c] of calls) process.stdout.write(`  ${model}: ${(c.ms / frames.length).toFixed(3)} ms per frame (${c.n} calls)\n`);
  }
}
