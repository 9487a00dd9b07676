/**
 * Hearth's own ASR model (models/asr-amortized) in the hub's runtime: the streaming graphs, fed
 * 80 ms frames, must compute what PyTorch computed for the same clip in one piece at export time
 * (reference.json), with the same blocks skipped; the knob at 0 runs every block; a damaged model
 * is a clear error naming the file.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODELS_DIR } from '../../runtime/models/manifest.js';
import { AMORTIZED_MODEL_ID, AmortizedEngine, loadAmortizedModel } from '../../runtime/asr/amortized/engine.js';
import { AmortizedEncoder } from '../../runtime/asr/amortized/encoder.js';
import { createAsrEngine } from '../../runtime/asr/engines.js';
import { Framer } from '../../runtime/audio/framer.js';
import { readWav16k } from '../../runtime/audio/wav.js';

interface Reference { wav: string; threshold: number; frames: number; all: Side; learned: Side }
interface Side { text: string; blocksRun: number; logpFirstFrames: number[] }
const reference = JSON.parse(readFileSync(join(DEFAULT_MODELS_DIR, AMORTIZED_MODEL_ID, 'reference.json'), 'utf8')) as Reference;

async function stream(threshold: number) {
  const { spec, graphs } = await loadAmortizedModel(DEFAULT_MODELS_DIR, 'onnxruntime-node');
  const enc = new AmortizedEncoder(spec, graphs, threshold);
  const frames: Float32Array[] = [];
  // 80 ms pieces as the hub's frames arrive, without the framer's zero padding at the end (PyTorch saw the clip as it is).
  const { samples } = readWav16k(join(DEFAULT_MODELS_DIR, '..', reference.wav));
  for (let i = 0; i < samples.length; i += 1280) frames.push(...await enc.push(samples.subarray(i, i + 1280)));
  frames.push(...await enc.flush());
  return { frames, share: enc.blocksRun / enc.blocksTotal };
}

describe('amortized ASR model in the runtime', () => {
  it.each([['learned', reference.threshold], ['all', 0]] as const)('streams the same posteriors as training computed (%s blocks)', async (side, threshold) => {
    const { frames, share } = await stream(threshold);
    const ref = reference[side];
    expect(frames.length).toBe(reference.frames);
    const got = frames.slice(0, 6).flatMap((f) => [...f]);
    expect(got.length).toBe(ref.logpFirstFrames.length);
    const maxDiff = Math.max(...got.map((v, i) => Math.abs(v - ref.logpFirstFrames[i]!)));
    expect(maxDiff).toBeLessThan(2e-3);
    expect(share).toBeCloseTo(ref.blocksRun, 5);
  }, 30000);

  it('names the file when a block graph is damaged, and the hub keeps its other engines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-am-'));
    cpSync(join(DEFAULT_MODELS_DIR, AMORTIZED_MODEL_ID), join(dir, AMORTIZED_MODEL_ID), { recursive: true });
    writeFileSync(join(dir, AMORTIZED_MODEL_ID, 'block-3.onnx'), 'not a model');
    const e = new AmortizedEngine({ names: [], areas: [] }, { modelsDir: dir, runtime: 'onnxruntime-node', minConfidence: 0.05, beam: 4 });
    await expect(e.start().push({ samples: new Int16Array(1280), startMs: 0 })).rejects.toThrow(/block-3\.onnx/);
    expect(() => new AmortizedEngine({ names: [], areas: [] }, { modelsDir: join(dir, 'nowhere'), runtime: 'auto', minConfidence: 0.05, beam: 4 })).toThrow(/asr-amortized.*missing|missing.*asr-amortized/);
  });

  it('recognises commands through the home grammar, with an n-best and the compute it skipped', async () => {
    const home = { names: ['Living Room Lamp', 'Bedroom Lamp', 'Kitchen Light'], areas: ['Living Room', 'Bedroom', 'Kitchen'] };
    const e = createAsrEngine('amortized', home);
    for (const [file, text] of [['cmd-bedroom-lamp-off-awb.wav', 'turn off the bedroom lamp'], ['cmd-temperature-living-room-rms.wav', 'what is the temperature in the living room']] as const) {
      const s = e.start();
      const framer = new Framer();
      for (const f of [...framer.push(readWav16k(join(DEFAULT_MODELS_DIR, '..', 'test/fixtures/audio', file)).samples), ...framer.flush()]) await s.push(f);
      const t = await s.finish();
      expect(t.rejected).toBe(false);
      expect(t.hypotheses[0]!.text).toBe(text);
      for (const h of t.hypotheses) expect(h.confidence).toBeLessThanOrEqual(t.hypotheses[0]!.confidence); // n-best, best first
      expect(t.computeStats.skippedShare).toBeGreaterThan(0.1); // the arbitrators switched blocks off
    }
    await e.stop();
  }, 30000);
  it('runs each arbitrator in TypeScript exactly as its exported ONNX graph computes it', async () => {
    const { loadRuntime } = await import('../../runtime/models/onnx.js');
    const { arbitratorFromOnnx } = await import('../../runtime/asr/amortized/arbiter.js');
    const { silentLogger } = await import('../../runtime/log.js');
    const rt = await loadRuntime('onnxruntime-node', silentLogger);
    const { spec } = await loadAmortizedModel(DEFAULT_MODELS_DIR, 'onnxruntime-node');
    const C = spec.chunkFrames, d = spec.dModel;
    let x = 1;
    const rnd = () => { x = (x * 16807) % 2147483647; return x / 2147483647 * 4 - 2; };
    for (let i = 0; i < spec.blocks; i++) {
      const path = join(DEFAULT_MODELS_DIR, AMORTIZED_MODEL_ID, `arbiter-${i}.onnx`);
      const bytes = readFileSync(path);
      const ts = arbitratorFromOnnx(bytes, d, path);
      const onnx = await rt.load(bytes, path);
      for (const realFrames of [C, 3]) {
        const input = Float32Array.from({ length: C * d }, rnd);
        const valid = Float32Array.from({ length: C }, (_, t) => (t < realFrames ? 1 : 0));
        const want = (await onnx.run({ x: { type: 'float32', data: input, dims: [1, C, d] }, valid: { type: 'float32', data: valid, dims: [1, C] } })).p_run!.data[0]!;
        expect(Math.abs(ts.pRun(input, valid) - want)).toBeLessThan(1e-5);
      }
      await onnx.release();
    }
    expect(() => arbitratorFromOnnx(readFileSync(join(DEFAULT_MODELS_DIR, AMORTIZED_MODEL_ID, 'head.onnx')), d, 'head.onnx')).toThrow(/head\.onnx is not an arbitrator/);
  });
});
