/**
 * Wake-word verifiers read the hub's mel frames: the training tool (tools/train/wake/mel.ts) must see
 * exactly what the hub gives a verifier, also after the VAD skipped the models for a while.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../runtime/log.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { FRAME_SAMPLES } from '../../runtime/types/audio.js';
import { loadModel } from '../../runtime/models/onnx.js';
import { MEL_BINS, MEL_PER_FRAME, WakeFeatures } from '../../runtime/wake/features.js';
import { FftMel, WAKE_MEL, WIDE_MEL } from '../../runtime/wake/mel.js';
import { DEFAULT_MODELS_DIR } from '../../runtime/models/manifest.js';
import { loadRuntime } from '../../runtime/models/onnx.js';
import { melStream } from '../../tools/train/wake/mel.js';

const ROWS = 160;
const worstDifference = (a: Float32Array, b: Float32Array): number => b.reduce((worst, v, i) => Math.max(worst, Math.abs(a[i]! - v)), 0);

describe('mel frames for verifiers', () => {
  it('are the same in the hub (with VAD gaps) as in the training tool', async () => {
    const runtime = await loadRuntime('onnxruntime-node', silentLogger);
    const embedding = await loadModel(runtime, DEFAULT_MODELS_DIR, 'openwakeword-embedding-int8');
    const { samples } = readWav16k(fileURLToPath(new URL('../fixtures/audio/hey-jarvis-command-slt.wav', import.meta.url)));
    const frames = Math.floor(samples.length / FRAME_SAMPLES);
    const reference = await melStream(samples);
    const features = new WakeFeatures(new FftMel(), embedding, 16, ROWS);
    let compared = 0;
    for (let f = 0; f < frames; f++) {
      const evaluate = f < 10 || f >= 25; // frames 10-24 skipped, as the VAD gate does in a quiet room
      await features.push(samples.subarray(f * FRAME_SAMPLES, (f + 1) * FRAME_SAMPLES), evaluate);
      const window = evaluate ? features.melWindow(ROWS) : undefined;
      if ((f + 1) * MEL_PER_FRAME < ROWS) { expect(window).toBeUndefined(); continue; } // not that much audio yet
      if (!evaluate) continue;
      const end = (f + 1) * MEL_PER_FRAME * MEL_BINS;
      const expected = reference.subarray(end - ROWS * MEL_BINS, end);
      expect(worstDifference(window!, expected)).toBeLessThan(1e-5);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  }, 30000);

  it('of the full band are computed on demand from the audio exactly as the training tool computes them', async () => {
    const runtime = await loadRuntime('onnxruntime-node', silentLogger);
    const embedding = await loadModel(runtime, DEFAULT_MODELS_DIR, 'openwakeword-embedding-int8');
    const { samples } = readWav16k(fileURLToPath(new URL('../fixtures/audio/hey-jarvis-command-slt.wav', import.meta.url)));
    const frames = Math.floor(samples.length / FRAME_SAMPLES);
    const bins = WIDE_MEL.bins;
    const reference = melStream(samples, WIDE_MEL);
    const features = new WakeFeatures(new FftMel(), embedding, 16, 0, ROWS);
    const wide = new FftMel(WIDE_MEL);
    let compared = 0;
    for (let f = 0; f < frames; f++) {
      await features.push(samples.subarray(f * FRAME_SAMPLES, (f + 1) * FRAME_SAMPLES), f % 3 === 0); // the VAD gate does not matter here
      const window = features.otherMelWindow(ROWS, wide);
      if ((f + 1) * MEL_PER_FRAME < ROWS) { expect(window).toBeUndefined(); continue; }
      const end = (f + 1) * MEL_PER_FRAME * bins;
      const expected = reference.subarray(end - ROWS * bins, end);
      expect(worstDifference(window!, expected)).toBeLessThan(1e-6);
      compared++;
    }
    expect(compared).toBeGreaterThan(frames / 2); // well past the point where the raw-audio ring has wrapped
  }, 30000);

  it("of the full band hear a burst above 3800 Hz that openWakeWord's bands do not", () => {
    // 1760 samples of white noise, with a 6 kHz burst (like a /t/ release) in the last 400: the wake features'
    // rows do not move, the full-band top bands do.
    let seed = 7;
    const quiet = new Float32Array(1760).map(() => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5) * 600);
    const burst = quiet.map((v, i) => (i >= 1360 ? v + 3000 * Math.sin((Math.PI * (i - 1360)) / 400) ** 2 * Math.sin((2 * Math.PI * 6000 * i) / 16000) : v));
    const change = (bands: typeof WAKE_MEL): number => {
      const front = new FftMel(bands);
      const [a, b] = [front.rowsNow(quiet).at(-1)!, front.rowsNow(burst).at(-1)!];
      return Math.max(...a.map((v, i) => Math.abs(b[i]! - v)));
    };
    expect(change(WAKE_MEL)).toBeLessThan(0.05); // under 0.5 dB (measured: 0.0002 dB)
    expect(change(WIDE_MEL)).toBeGreaterThan(1.5); // over 15 dB (measured: 19 dB)
  });
});
