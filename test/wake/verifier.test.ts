/**
 * Wake-word verifiers read the hub's mel frames: the training tool (tools/train/wake/mel.ts) must see
 * exactly what the hub gives a verifier, also after the VAD skipped the models for a while.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../runtime/log.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { FRAME_SAMPLES } from '../../runtime/types/audio.js';
import { loadModel } from '../../runtime/wake/engine.js';
import { MEL_BINS, MEL_PER_FRAME, WakeFeatures } from '../../runtime/wake/features.js';
import { FftMel } from '../../runtime/wake/mel.js';
import { DEFAULT_MODELS_DIR } from '../../runtime/wake/models.js';
import { loadRuntime } from '../../runtime/wake/onnx.js';
import { melStream } from '../../tools/train/wake/mel.js';

const ROWS = 160;

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
      let worst = 0;
      for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(window![i]! - expected[i]!));
      expect(worst).toBeLessThan(1e-5);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
  }, 30000);
});
