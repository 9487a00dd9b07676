/**
 * The streaming embedding graph (tools/train/wake/streaming.py) must give the classifiers what openWakeWord's window
 * graph gives them: the same embeddings for every frame, on both runtimes, also around frames the VAD gate skipped
 * (short gaps continue the caches, long ones prime them again). Real speech from the fixtures, the hub's features.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../../runtime/log.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { FRAME_SAMPLES } from '../../runtime/types/audio.js';
import { INT8_EMBEDDING } from '../../runtime/models/cpu.js';
import { loadModel } from '../../runtime/models/onnx.js';
import { loadEmbedding } from '../../runtime/wake/engine.js';
import { WakeFeatures } from '../../runtime/wake/features.js';
import { FftMel } from '../../runtime/wake/mel.js';
import { DEFAULT_MODELS_DIR, readManifest } from '../../runtime/models/manifest.js';
import { loadRuntime, type ModelSession, type RuntimeId } from '../../runtime/models/onnx.js';

const KEEP = 16;

/** A session that counts the mel rows it is given (the streaming graph's work grows with them). */
function counting(inner: ModelSession, seen: { rows: number; calls: number }): ModelSession {
  return {
    ...inner,
    inputShape: inner.inputShape?.bind(inner),
    run(feeds) {
      const input = feeds[inner.inputNames[0]!]!;
      seen.rows += input.dims[0] === 1 ? input.dims[1]! : input.dims[0]! * input.dims[1]!;
      seen.calls++;
      return inner.run(feeds);
    },
  };
}

describe('streaming embedding', () => {
  it('ships a streaming graph beside each embedding model', () => {
    for (const id of ['openwakeword-embedding', INT8_EMBEDDING]) expect(readManifest(DEFAULT_MODELS_DIR, id).streaming?.file).toMatch(/\.stream\.onnx$/);
  });

  it('names the streaming file when it is damaged, before ONNX Runtime sees it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-stream-'));
    cpSync(join(DEFAULT_MODELS_DIR, INT8_EMBEDDING), join(dir, INT8_EMBEDDING), { recursive: true });
    const file = join(dir, INT8_EMBEDDING, readManifest(dir, INT8_EMBEDDING).streaming!.file);
    writeFileSync(file, readFileSync(file).subarray(0, 1000));
    const runtime = await loadRuntime('onnxruntime-node', silentLogger);
    await expect(loadEmbedding(runtime, dir, INT8_EMBEDDING)).rejects.toMatchObject({ code: 'model-corrupt', message: expect.stringContaining(file) });
    await expect(loadEmbedding(runtime, dir, INT8_EMBEDDING, 'window')).resolves.toBeDefined(); // the window file is intact
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<[RuntimeId, string]>([
    ['onnxruntime-node', INT8_EMBEDDING],
    ['onnxruntime-node', 'openwakeword-embedding'],
    ['onnxruntime-web', INT8_EMBEDDING],
  ])('on %s, %s gives the window graph\'s embeddings from a fraction of the rows, with VAD gaps', async (runtimeId, id) => {
    const runtime = await loadRuntime(runtimeId, silentLogger);
    const mel = new FftMel();
    const windowRows = { rows: 0, calls: 0 };
    const streamRows = { rows: 0, calls: 0 };
    const window = counting(await loadEmbedding(runtime, DEFAULT_MODELS_DIR, id, 'window'), windowRows);
    const stream = counting(await loadEmbedding(runtime, DEFAULT_MODELS_DIR, id, 'streaming'), streamRows);
    expect(stream.inputNames).toContain('cache0');
    expect(window.inputNames).not.toContain('cache0');
    const clips = ['hey-jarvis-command-slt.wav', 'no-wake-word-rms.wav', 'alexa-time-awb.wav'].map((c) => readWav16k(fileURLToPath(new URL(`../fixtures/audio/${c}`, import.meta.url))).samples);
    const samples = new Int16Array(clips.reduce((n, c) => n + c.length, 0));
    clips.reduce((at, c) => { samples.set(c, at); return at + c.length; }, 0);
    const frames = Math.floor(samples.length / FRAME_SAMPLES);
    expect(frames).toBeGreaterThan(70);
    const a = new WakeFeatures(mel, window, KEEP);
    const b = new WakeFeatures(mel, stream, KEEP);
    let compared = 0;
    let worst = 0;
    for (let f = 0; f < frames; f++) {
      // Frames 20-27 skipped (a short gap: its frames are embedded on resume, continuing the caches); 40-64 skipped (longer
      // than KEEP: the caches are primed again).
      const embed = !(f >= 20 && f < 28) && !(f >= 40 && f < 65);
      const chunk = samples.subarray(f * FRAME_SAMPLES, (f + 1) * FRAME_SAMPLES);
      await a.push(chunk, embed);
      await b.push(chunk, embed);
      if (!embed) continue;
      const [x, y] = [a.window(KEEP), b.window(KEEP)];
      expect(y === undefined).toBe(x === undefined);
      if (!x || !y) continue;
      for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
    // Embedding values reach about 50; bit-identical on this machine's CPU, a small margin for other kernels.
    expect(worst).toBeLessThan(1e-3);
    // The window graph reads 76 rows per embedding; streaming about 8, plus a full prime after each long gap.
    expect(streamRows.rows * 4).toBeLessThan(windowRows.rows);
    expect(streamRows.calls).toBe(windowRows.calls);
  }, 60000);
});
