/**
 * The hub computes openWakeWord's log-mel frames in TypeScript (runtime/wake/mel.ts, by FFT). openWakeWord's ONNX
 * melspectrogram defines them: both must give the same rows on real audio, on silence and on clipped input, and the
 * wake words must score the same with either.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../runtime/log.js';
import { Framer } from '../../runtime/audio/framer.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { FRAME_SAMPLES } from '../../runtime/types/audio.js';
import { loadModel } from '../../runtime/models/onnx.js';
import { createWakeEngine } from '../../runtime/wake/engine.js';
import { FftMel, MEL_CONTEXT_SAMPLES, OnnxMel } from '../../runtime/wake/mel.js';
import { DEFAULT_MODELS_DIR } from '../../runtime/models/manifest.js';
import { embeddingModelId } from '../../runtime/wake/models.js';
import { loadRuntime } from '../../runtime/models/onnx.js';

const clip = (name: string) => readWav16k(fileURLToPath(new URL(`../fixtures/audio/${name}`, import.meta.url))).samples;
const WINDOW = MEL_CONTEXT_SAMPLES + FRAME_SAMPLES;

/** Every 1760-sample window of `samples` the hub would give the front end (one per 80 ms frame). */
function windows(samples: Int16Array): Float32Array[] {
  const out: Float32Array[] = [];
  for (let end = WINDOW; end <= samples.length; end += FRAME_SAMPLES) out.push(Float32Array.from(samples.subarray(end - WINDOW, end)));
  return out;
}

describe('mel front end', () => {
  it('gives the ONNX model\'s rows on speech, silence and clipped audio', async () => {
    const onnx = new OnnxMel(await loadModel(await loadRuntime('onnxruntime-node', silentLogger), DEFAULT_MODELS_DIR, 'openwakeword-melspectrogram'));
    const fft = new FftMel();
    const speech = ['hey-jarvis-command-slt.wav', 'alexa-time-awb.wav', 'cmd-coffee-maker-on-espeak.wav'].flatMap((c) => windows(clip(c)));
    const silence = new Float32Array(WINDOW);
    const clipped = Float32Array.from({ length: WINDOW }, (_, i) => (Math.sin(i / 7) > 0 ? 32767 : -32768));
    const quietThenLoud = Float32Array.from({ length: WINDOW }, (_, i) => (i < 1200 ? 0 : 20000 * Math.sin(i / 3)));
    let worst = 0;
    let rows = 0;
    for (const w of [...speech, silence, clipped, quietThenLoud]) {
      const [a, b] = [await onnx.rows(w), await fft.rows(w)];
      expect(b.length).toBe(8);
      expect(b.length).toBe(a.length);
      for (let r = 0; r < a.length; r++) {
        for (let m = 0; m < 32; m++) worst = Math.max(worst, Math.abs(a[r]![m]! - b[r]![m]!));
        rows++;
      }
    }
    expect(rows).toBeGreaterThan(800);
    // The model sums its 512-tap DFT in float32 (the FFT here in float64): over all fixture clips the rows differ by at
    // most 4.4e-5 on onnxruntime-node and 9.4e-5 on onnxruntime-web (x86). 3e-4 (0.003 dB) leaves room for another CPU's
    // summation order; small slips move rows by 0.1 and more (measured: fmax 3790 Hz 0.14, a 398-sample window 0.19, a 79 dB
    // clamp 0.10).
    expect(worst).toBeLessThan(3e-4);
    // The 80 dB clamp spans the window: silence beside loud audio is lifted to the loudest value - 80 dB.
    const lifted = await fft.rows(quietThenLoud);
    expect(Math.min(...lifted[0]!)).toBeGreaterThan(-8 + 1);
    expect(Math.min(...(await fft.rows(silence))[0]!)).toBeCloseTo(-8, 5); // 10 log10(1e-10) / 10 + 2
  }, 30000);

  it('leaves the wake words\' scores and detections as the ONNX model gives them', async () => {
    const run = async (melFrontEnd: 'fft' | 'onnx') => {
      const engine = await createWakeEngine('openwakeword', {
        modelsDir: DEFAULT_MODELS_DIR, runtime: 'onnxruntime-node', embeddingModelId: embeddingModelId('int8'), warmupMs: 2000, vadGateThreshold: 0,
        vadGateHangoverFrames: 12, melFrontEnd,
        words: ['hey_jarvis', 'alexa'].map((id) => ({ id, modelId: `wake-${id}`, threshold: 0.5, patienceFrames: 1, refractoryMs: 2000 })),
      }, silentLogger);
      const lead = new Int16Array(2 * 16000);
      const audio = [lead, clip('hey-jarvis-command-slt.wav'), clip('alexa-time-awb.wav'), clip('no-wake-word-rms.wav')];
      const samples = new Int16Array(audio.reduce((n, a) => n + a.length, 0));
      audio.reduce((at, a) => { samples.set(a, at); return at + a.length; }, 0);
      const framer = new Framer();
      const scores: number[] = [];
      const events: string[] = [];
      for (const frame of [...framer.push(samples), ...framer.flush()]) {
        const r = await engine.process(frame, 1);
        scores.push(...r.scores.values());
        events.push(...r.events.map((e) => `${e.wakeWordId}@${e.atMs}`));
      }
      await engine.stop();
      return { scores, events };
    };
    const [onnx, fft] = [await run('onnx'), await run('fft')];
    expect(onnx.events.map((e) => e.split('@')[0])).toEqual(['hey_jarvis', 'alexa']);
    expect(fft.events).toEqual(onnx.events);
    expect(fft.scores.length).toBe(onnx.scores.length);
    let worst = 0;
    for (let i = 0; i < onnx.scores.length; i++) worst = Math.max(worst, Math.abs(onnx.scores[i]! - fft.scores[i]!));
    expect(worst).toBeLessThan(1e-3);
  }, 60000);
});
