/**
 * The wake-word stage on real audio (flite and espeak-ng clips in test/fixtures/audio, made by
 * tools/audio/make-fixtures.sh) with the real openWakeWord and Silero models from models/.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../runtime/config/load.js';
import { silentLogger } from '../../runtime/log.js';
import { createListener, type Listener } from '../../runtime/pipeline/listen.js';
import { Framer } from '../../runtime/audio/framer.js';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';
import type { Utterance, WakeEvent } from '../../runtime/types/audio.js';
import { DEFAULT_MODELS_DIR, readManifest } from '../../runtime/models/manifest.js';

const clip = (name: string) => fileURLToPath(new URL(`../fixtures/audio/${name}`, import.meta.url));
const ALL_WORDS = [{ id: 'alexa' }, { id: 'hey_jarvis' }, { id: 'hey_mycroft' }, { id: 'hey_rhasspy' }];

interface Run { wakes: WakeEvent[]; vetoed: WakeEvent[]; utterances: Utterance[]; scores: Map<number, Map<string, number>>; embeddingRuns: number; vadRuns: number; frames: number }

/** Steady low white noise (about -65 dBFS), as a quiet room gives a microphone. */
function quietRoom(samples: number): Int16Array {
  let s = 777;
  return Int16Array.from({ length: samples }, () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return Math.round(((s / 0x7fffffff) - 0.5) * 64); });
}

interface RunOptions {
  chunk?: (i: number) => number; gate?: number; floorMarginDb?: number; overrides?: Record<string, unknown>; before?: (l: Listener) => void;
  /** Seconds of quiet-room noise before the clip, the noise going on under it; default 2 s of digital silence. */
  roomLeadInS?: number;
}

async function run(file: string, opts: RunOptions = {}): Promise<Run> {
  const wake = { words: ALL_WORDS, vadGateThreshold: opts.gate ?? 0.1, ...(opts.floorMarginDb === undefined ? {} : { noiseFloorMarginDb: opts.floorMarginDb }) };
  const config = loadConfig({ env: {}, overrides: { wake, audio: { queueMaxFrames: 10000 }, ...opts.overrides } });
  const listener = await createListener(config, silentLogger);
  const r: Run = { wakes: [], vetoed: [], utterances: [], scores: new Map(), embeddingRuns: 0, vadRuns: 0, frames: 0 };
  listener.events.on('wake', (e) => r.wakes.push(e));
  listener.events.on('wake-vetoed', (e) => r.vetoed.push(e));
  listener.events.on('utterance', (u) => r.utterances.push(u));
  listener.events.on('frame', (f) => { if (f.evaluated) r.scores.set(f.startMs, new Map(f.scores)); });
  opts.before?.(listener);
  const { samples } = readWav16k(file);
  // A lead-in of at least 2 s: the engine ignores its first 2 s.
  const leadIn = opts.roomLeadInS === undefined ? 32000 : Math.round(opts.roomLeadInS * 16000);
  const audio = opts.roomLeadInS === undefined ? new Int16Array(leadIn + samples.length) : quietRoom(leadIn + samples.length + 16000);
  for (let i = 0; i < samples.length; i++) audio[leadIn + i] = Math.max(-32768, Math.min(32767, audio[leadIn + i]! + samples[i]!));
  const framer = new Framer();
  for (let at = 0, i = 0; at < audio.length; i++) {
    const n = opts.chunk ? opts.chunk(i) : audio.length;
    listener.push(framer.push(audio.subarray(at, at + n)));
    at += n;
  }
  listener.push(framer.flush());
  await listener.finish();
  r.embeddingRuns = listener.embeddingRuns;
  r.vadRuns = listener.vadRuns;
  r.frames = listener.processedFrames;
  await listener.stop();
  return r;
}

describe('wake words on real speech', () => {
  it.each([
    ['hey-jarvis-command-slt.wav', 'hey_jarvis'],
    ['hey-jarvis-espeak-22k.wav', 'hey_jarvis'],
    ['alexa-time-awb.wav', 'alexa'],
  ])('%s wakes %s and nothing else', async (file, word) => {
    const r = await run(clip(file));
    expect(r.wakes.map((w) => w.wakeWordId)).toEqual([word]);
  }, 30000);

  it('stays asleep for speech without a wake word', async () => {
    expect((await run(clip('no-wake-word-rms.wav'))).wakes).toEqual([]);
  }, 30000);

  it('cuts the command after the wake word, with the pre-roll, ending on silence', async () => {
    const r = await run(clip('hey-jarvis-command-slt.wav'));
    const u = r.utterances[0]!;
    expect(u.endReason).toBe('silence');
    expect(u.startMs).toBeLessThanOrEqual(u.wake.atMs - 300);
    // "turn on the kitchen light" lasts about 1.4 s after the wake word; the cut keeps it and 700 ms of silence.
    expect(u.endMs - u.wake.atMs).toBeGreaterThan(1400);
    expect(u.endMs - u.wake.atMs).toBeLessThan(3500);
  }, 30000);

  it('gives the same scores whatever chunks the audio arrives in', async () => {
    const whole = await run(clip('hey-jarvis-espeak-22k.wav'));
    const sizes = [1, 333, 4096, 160, 2560, 7];
    const chunked = await run(clip('hey-jarvis-espeak-22k.wav'), { chunk: (i) => sizes[i % sizes.length]! * 3 });
    expect(chunked.wakes).toEqual(whole.wakes);
    expect([...chunked.scores.keys()]).toEqual([...whole.scores.keys()]);
    for (const [t, s] of whole.scores) for (const [w, v] of s) expect(chunked.scores.get(t)?.get(w)).toBeCloseTo(v, 5);
  }, 30000);

  it('VAD gating skips embeddings in silence without changing any score it computes', async () => {
    const ungated = await run(clip('hey-jarvis-command-slt.wav'), { gate: 0 });
    const gated = await run(clip('hey-jarvis-command-slt.wav'), { gate: 0.1 });
    expect(gated.embeddingRuns).toBeLessThan(ungated.embeddingRuns);
    expect(gated.wakes).toEqual(ungated.wakes);
    for (const [t, s] of gated.scores) for (const [w, v] of s) expect(ungated.scores.get(t)?.get(w)).toBeCloseTo(v, 4);
  }, 30000);

  it('in a steady quiet room the VAD rests until someone speaks; the wake word and the cut are the same', async () => {
    const always = await run(clip('hey-jarvis-command-slt.wav'), { roomLeadInS: 6, floorMarginDb: 0 });
    const floored = await run(clip('hey-jarvis-command-slt.wav'), { roomLeadInS: 6, floorMarginDb: 6 });
    expect(always.wakes.map((w) => w.wakeWordId)).toEqual(['hey_jarvis']);
    expect(floored.wakes).toEqual(always.wakes);
    expect(floored.utterances.map((u) => [u.startMs, u.endMs, u.endReason])).toEqual(always.utterances.map((u) => [u.startMs, u.endMs, u.endReason]));
    // About 0.83 VAD calls a frame when it runs on every one (1536-sample chunks); the 4 s of room after the first 2 s need none.
    expect(always.vadRuns).toBeGreaterThan(0.8 * always.frames);
    expect(floored.vadRuns).toBeLessThan(always.vadRuns - 35);
  }, 30000);

  it('does not wake on its own voice while it is speaking', async () => {
    const r = await run(clip('hey-jarvis-command-slt.wav'), { before: (l) => l.suppressUntil(60_000) });
    expect(r.wakes).toEqual([]);
  }, 30000);
});

describe('odd input', () => {
  it('stays calm on digital silence and on fully clipped noise', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-odd-'));
    writeFileSync(join(dir, 'silence.wav'), encodeWav(new Int16Array(48000)));
    let s = 1;
    writeFileSync(join(dir, 'clipped.wav'), encodeWav(Int16Array.from({ length: 48000 }, () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s & 1 ? 32767 : -32768; })));
    for (const f of ['silence.wav', 'clipped.wav']) expect((await run(join(dir, f))).wakes).toEqual([]);
  }, 30000);
});

describe('when the models fall behind', () => {
  it('drops the oldest frames and counts them, so the queue (and memory) stays bounded', async () => {
    const listener = await createListener(loadConfig({ env: {}, overrides: { audio: { queueMaxFrames: 10 } } }), silentLogger);
    let reported = 0;
    listener.events.on('dropped', (e) => { reported = e.totalDropped; });
    const framer = new Framer();
    for (let i = 0; i < 30; i++) listener.push(framer.push(new Int16Array(12800))); // 300 frames faster than real time
    await listener.finish();
    expect(listener.droppedFrames).toBeGreaterThanOrEqual(270);
    expect(reported).toBe(listener.droppedFrames);
    expect(listener.processedFrames + listener.droppedFrames).toBe(300);
    await listener.stop();
  }, 30000);
});

describe('model files', () => {
  function copyModels(): string {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-models-'));
    cpSync(DEFAULT_MODELS_DIR, dir, { recursive: true });
    return dir;
  }
  const configWith = (modelsDir: string) => loadConfig({ env: {}, overrides: { wake: { modelsDir, words: [{ id: 'hey_jarvis' }] } } });

  it('names a missing model file', async () => {
    const dir = copyModels();
    rmSync(join(dir, 'wake-hey_jarvis', 'hey_jarvis_v0.1.onnx'));
    await expect(createListener(configWith(dir), silentLogger)).rejects.toMatchObject({ code: 'model-missing', message: expect.stringContaining('hey_jarvis_v0.1.onnx') });
  });

  it('refuses a corrupt model file before ONNX Runtime sees it', async () => {
    const dir = copyModels();
    const file = join(dir, 'silero-vad', 'silero_vad.onnx');
    const bytes = readFileSync(file);
    const mid = bytes.length >> 1;
    bytes[mid] = bytes[mid]! ^ 0xff;
    writeFileSync(file, bytes);
    await expect(createListener(configWith(dir), silentLogger)).rejects.toMatchObject({ code: 'model-corrupt', message: expect.stringContaining('silero_vad.onnx') });
  });

  it('names a verifier whose manifest asks for mel rows the hub cannot make', async () => {
    const dir = copyModels();
    const manifest = join(dir, 'wake-hearth-hey_jarvis-verifier', 'manifest.json');
    writeFileSync(manifest, JSON.stringify({ ...JSON.parse(readFileSync(manifest, 'utf8')), features: 'mel64-16k' }));
    const config = loadConfig({ env: {}, overrides: { wake: { modelsDir: dir, classifiers: 'hearth', words: [{ id: 'hey_jarvis' }] } } });
    await expect(createListener(config, silentLogger)).rejects.toMatchObject({ code: 'model-corrupt', message: expect.stringMatching(/wake-hearth-hey_jarvis-verifier\/manifest\.json.*mel64-16k/) });
  });

  it('names an unknown wake word', async () => {
    await expect(createListener(loadConfig({ env: {}, overrides: { wake: { words: [{ id: 'hey_toaster' }] } } }), silentLogger))
      .rejects.toMatchObject({ code: 'model-missing', message: expect.stringContaining('wake-hey_toaster') });
  });
});

const verifierThreshold = (word: string) => readManifest(DEFAULT_MODELS_DIR, `wake-hearth-${word}-verifier`).threshold!;

describe("Hearth's own classifiers (wake.classifiers: hearth)", () => {
  const hearth = { overrides: { wake: { words: ALL_WORDS, classifiers: 'hearth' } } };
  it.each([
    ['hey-jarvis-espeak-22k.wav', ['hey_jarvis']],
    ['alexa-time-awb.wav', ['alexa']],
    ['no-wake-word-rms.wav', []],
    ['hey-mycroft-lamp-awb.wav', ['hey_mycroft']],
  ])('%s wakes %j', async (file, words) => {
    expect((await run(clip(file), hearth)).wakes.map((w) => w.wakeWordId)).toEqual(words);
  }, 30000);

  /** The classifier alone wakes `word` on a near-miss clip; with its verifier (the default) nothing wakes, and the verifier's score says why. */
  const vetoedNearMiss = async (file: string, word: string) => {
    const alone = await run(clip(file), { overrides: { wake: { words: ALL_WORDS, classifiers: 'hearth', verifiers: false } } });
    expect(alone.wakes.map((w) => w.wakeWordId)).toEqual([word]);
    const verified = await run(clip(file), hearth);
    expect(verified.wakes).toEqual([]);
    expect(verified.utterances).toEqual([]);
    expect(verified.vetoed.map((w) => w.wakeWordId)).toContain(word);
    expect(Math.max(...verified.vetoed.map((w) => w.verifierScore!))).toBeLessThan(verifierThreshold(word));
  };

  it('hey_mycroft\'s verifier vetoes "hey my crop", which the classifier alone takes for the wake word', async () => {
    await vetoedNearMiss('near-miss-hey-my-crop-espeak-f1.wav', 'hey_mycroft');
  }, 30000);

  it('hey_rhasspy\'s full-band verifier vetoes "hey rusty", which the classifier alone takes for the wake word', async () => {
    // openWakeWord's mel bands stop at 3800 Hz; this verifier reads rows to 8 kHz, where the /t/ of "rusty" and the /p/
    // of "rhasspy" differ (espeak-ng en-us+f1, 2.5 s of silence before: past the start-up hold-off).
    await vetoedNearMiss('near-miss-hey-rusty-espeak-f1.wav', 'hey_rhasspy');
  }, 30000);

  it('hey_jarvis\'s full-band verifier vetoes "hey jarvie", which its classifier passes at the configured point', async () => {
    // "jarvie" lacks the /s/ of "jarvis", mostly above 3800 Hz; the 32-band verifier of 2026-12-02 let this clip
    // through (espeak-ng en-us+f3, 2.5 s of silence before). Since 2026-12-06 the classifier (a two-model ensemble) runs
    // at a low threshold (0.1, patience 3) and leaves the decision to the verifier, so this clip is a candidate, not a wake.
    const verified = await run(clip('near-miss-hey-jarvie-espeak-f3.wav'), hearth);
    expect(verified.wakes).toEqual([]);
    expect(verified.utterances).toEqual([]);
    expect(verified.vetoed.map((w) => w.wakeWordId)).toContain('hey_jarvis');
    expect(Math.max(...verified.vetoed.map((w) => w.verifierScore!))).toBeLessThan(verifierThreshold('hey_jarvis'));
  }, 30000);

  it('alexa does not wake on "a lexicon", which starts as "alexa" is said and goes on', async () => {
    // espeak-ng en-gb-scotland, 2.5 s of silence before. The alexa classifier and verifier before the 'prefixes' and
    // 'slow' training data (tools/train/wake/data.py) woke on this clip; the evaluation sets' last false accepts for
    // alexa were "a lexicon" in this accent (docs/results/wake-synthetic.md).
    expect((await run(clip('near-miss-a-lexicon-espeak-scotland.wav'), hearth)).wakes).toEqual([]);
  }, 30000);

  it('reports the verifier\'s score with the wake event it let through', async () => {
    const [wake] = (await run(clip('hey-mycroft-lamp-awb.wav'), hearth)).wakes;
    expect(wake!.verifierScore).toBeGreaterThanOrEqual(verifierThreshold('hey_mycroft'));
  }, 30000);
});

describe('the int8 embedding model (wake.embedding: int8, the default)', () => {
  it.each(['hey-jarvis-command-slt.wav', 'hey-jarvis-espeak-22k.wav', 'alexa-time-awb.wav', 'no-wake-word-rms.wav'])(
    '%s wakes the same words as the float model, with scores close to its', async (file) => {
      const int8 = await run(clip(file));
      const float = await run(clip(file), { overrides: { wake: { words: ALL_WORDS, embedding: 'float' } } });
      expect(int8.wakes.map((w) => w.wakeWordId)).toEqual(float.wakes.map((w) => w.wakeWordId));
      // The highest score each word reaches on the clip: what decides a wake.
      const peak = (r: Run, word: string) => Math.max(0, ...[...r.scores.values()].map((s) => s.get(word) ?? 0));
      for (const { id } of ALL_WORDS) expect(Math.abs(peak(int8, id) - peak(float, id))).toBeLessThan(0.25);
    }, 60000);
});
