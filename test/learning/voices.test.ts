/**
 * Household voice adaptation (learning.keepVoiceTurns, `hearth learn --voices`): which turns are kept, the limits on
 * them, the sphinxtrain files made from Debian's model, an adaptation that must beat what is active on held-back
 * turns, rollback, and `hearth forget --all`. Real parts: Debian's pocketsphinx model and sphinxtrain, Debian's
 * PyTorch and the committed amortized checkpoint, flite's voice, a real SQLite file.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../runtime/store/db.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { VoiceTurns, DAY_MS, voiceTurnsDir, type SpokenTurn } from '../../runtime/learning/voices/kept.js';
import { readSendump, writeMixtureWeights } from '../../runtime/learning/voices/sphinx-files.js';
import { adaptPocketsphinx, splitHeldBack } from '../../runtime/learning/voices/adapt.js';
import { activeAdaptation, adaptationSettings, Adaptations, createAdaptedAsr } from '../../runtime/learning/voices/versions.js';
import { ASR_DEFAULTS } from '../../runtime/asr/engines.js';
import { silentLogger, type Logger } from '../../runtime/log.js';
import { adaptAmortized } from '../../runtime/learning/voices/amortized.js';
import { AmortizedEngine } from '../../runtime/asr/amortized/engine.js';
import { DEFAULT_MODELS_DIR } from '../../runtime/models/manifest.js';
import { DEBIAN_MODEL, PocketsphinxEngine } from '../../runtime/asr/pocketsphinx.js';
import { forgetAll } from '../../runtime/cli/forget.js';
import { learnVoicesCommand } from '../../runtime/cli/learn.js';
import { loadConfig } from '../../runtime/config/load.js';

const FEEDBACK = { rephraseWindowMs: 30000, reversalWindowMs: 60000, rephraseSimilarity: 0.5 };
const ON = { keepVoiceTurns: true, voiceTurnsMax: 500, voiceTurnsMaxAgeDays: 90 };
const tone = (n = 8000) => new Int16Array(n).map((_, i) => Math.round(3000 * Math.sin(i / 5)));

function hub(): { dir: string; db: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-voices-'));
  return { dir, db: openDatabase(join(dir, 'hearth.db')).db };
}
function logTurn(db: Db, id: string, atMs: number, text: string, outcome = 'action-done', session = id): void {
  db.prepare(`INSERT INTO interactions (id, session_id, started_at_ms, source, input_text, outcome, speech, used_context_json, commands_json, stages_json, total_ms)
    VALUES (?, ?, ?, 'speech', ?, ?, '', '[]', '[]', '[]', 0)`).run(id, session, atMs, text, outcome);
}
const NOW = Date.now();
const turn = (over: Partial<SpokenTurn> = {}): SpokenTurn => ({ turnId: 't1', atMs: NOW, heard: 'turn on the kitchen light', engine: 'pocketsphinx', confidence: 0.98,
  asked: false, outcome: 'action-done', intent: 'HassTurnOn', secret: false, ...over });

describe('which spoken turns are kept', () => {
  it('keeps nothing unless the household opted in', () => {
    const { dir, db } = hub();
    expect(new VoiceTurns(db, dir, { ...ON, keepVoiceTurns: false }).keep(turn(), tone())).toBe(false);
    expect(existsSync(voiceTurnsDir(dir))).toBe(false);
  });

  it('keeps a turn the run went on with, as a WAV with its words; never one with the PIN, one that failed, or an answer', () => {
    const { dir, db } = hub();
    const v = new VoiceTurns(db, dir, ON);
    expect(v.keep(turn(), tone())).toBe(true);
    expect(readWav16k(join(voiceTurnsDir(dir), 't1.wav')).samples.length).toBe(8000);
    expect(v.keep(turn({ turnId: 'pin', heard: 'one two three four', secret: true }), tone())).toBe(false);
    expect(v.keep(turn({ turnId: 'failed', outcome: 'no-match' }), tone())).toBe(false);
    expect(v.keep(turn({ turnId: 'yes', heard: 'yes', intent: 'HearthYes' }), tone())).toBe(false);
    expect(v.count()).toBe(1);
    expect(readdirSync(voiceTurnsDir(dir))).toEqual(['t1.wav']);
  });

  it('never keeps the turn that asked for the PIN, nor the answer after it, whatever the answer was heard as', () => {
    const { dir, db } = hub();
    const v = new VoiceTurns(db, dir, ON);
    expect(v.keep(turn({ turnId: 'unlock', sessionId: 's', heard: 'unlock the front door', asksPin: true, outcome: 'asked' }), tone())).toBe(false);
    expect(v.keep(turn({ turnId: 'misheard-pin', sessionId: 's', heard: 'turn on the oven' }), tone())).toBe(false);
    expect(v.keep(turn({ turnId: 'later', sessionId: 's', heard: 'turn on the oven' }), tone())).toBe(true);
    expect(v.count()).toBe(1);
  });

  it('holds at most voiceTurnsMax turns and none older than voiceTurnsMaxAgeDays, erasing the oldest', () => {
    const { dir, db } = hub();
    let now = 100 * DAY_MS;
    const v = new VoiceTurns(db, dir, { ...ON, voiceTurnsMax: 20, voiceTurnsMaxAgeDays: 10 }, () => now);
    for (let i = 0; i < 25; i++) v.keep(turn({ turnId: `t${i}`, atMs: now - (25 - i) * 1000 }), tone(160));
    expect(v.count()).toBe(20);
    expect(existsSync(join(voiceTurnsDir(dir), 't4.wav'))).toBe(false);
    expect(existsSync(join(voiceTurnsDir(dir), 't5.wav'))).toBe(true);
    now += 11 * DAY_MS;
    expect(v.prune()).toBe(20);
    expect(readdirSync(voiceTurnsDir(dir))).toEqual([]);
  });

  it('learns only from turns that worked: a turn switched back by hand, cut off, or said again is left out', () => {
    const { dir, db } = hub();
    const v = new VoiceTurns(db, dir, ON);
    const at = NOW - 3_600_000;
    for (const [i, text] of ['turn on the oven', 'turn off the hallway fan', 'lock the front door', 'turn on the kitchen light'].entries()) {
      logTurn(db, `t${i}`, at + i * 100_000, text);
      v.keep(turn({ turnId: `t${i}`, atMs: at + i * 100_000, heard: text }), tone());
    }
    db.prepare("INSERT INTO feedback_events (turn_id, kind, at_ms) VALUES ('t0', 'reversal', ?)").run(at + 5000);
    db.prepare("INSERT INTO feedback_events (turn_id, kind, at_ms) VALUES ('t1', 'barge-in', ?)").run(at + 100_500);
    logTurn(db, 'no', at + 200_000 + 3000, 'no that is wrong', 'action-done', 't2'); // "no" right after t2, same conversation
    // The hub asked "Did you say ...?": learnt from once the person said yes, not before.
    for (const [id, answer] of [['a1', 'yes'], ['a2', undefined], ['a3', 'no']] as const) {
      const t = at + (id === 'a1' ? 500_000 : id === 'a2' ? 600_000 : 700_000);
      logTurn(db, id, t, 'turn off the oven', 'asked');
      v.keep(turn({ turnId: id, atMs: t, heard: 'turn off the oven', asked: true, outcome: 'asked' }), tone());
      if (answer) logTurn(db, `${id}-answer`, t + 4000, answer, answer === 'yes' ? 'action-done' : 'cancelled', id);
    }
    expect(v.worked(FEEDBACK).map((t) => t.turnId)).toEqual(['t3', 'a1']);
  });
});

describe('sphinxtrain files from Debian\'s model', () => {
  it('reads the quantized sendump as mixtures that each sum to 1, and writes them with sphinxbase\'s checksum', () => {
    const m = readSendump(join(DEBIAN_MODEL.hmm, 'sendump'));
    expect([m.senones, m.features, m.densities]).toEqual([5126, 3, 128]);
    for (const s of [0, 2000, 5125]) for (let f = 0; f < 3; f++) {
      const w = m.weights.subarray((s * 3 + f) * 128, (s * 3 + f + 1) * 128);
      expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    const file = join(mkdtempSync(join(tmpdir(), 'hearth-mixw-')), 'mixture_weights');
    writeMixtureWeights(file, m);
    const buf = readFileSync(file);
    const body = buf.subarray(buf.indexOf('endhdr\n') + 7);
    expect(body.readUInt32LE(0)).toBe(0x11223344);
    const words = new Uint32Array(body.buffer.slice(body.byteOffset + 4, body.byteOffset + body.length));
    expect([...words.subarray(0, 4)]).toEqual([5126, 3, 128, 5126 * 3 * 128]);
    let sum = 0;
    for (let i = 0; i < words.length - 1; i++) sum = ((((sum << 20) | (sum >>> 12)) >>> 0) + words[i]!) >>> 0;
    expect(words[words.length - 1]).toBe(sum);
  });
});

/** A flite voice pocketsphinx was not trained on, saying requests about a small home. */
function fliteTurns(dir: string, db: Db, v: VoiceTurns, sentences: readonly string[]): void {
  sentences.forEach((text, i) => {
    const wav = join(dir, `say-${i}.wav`);
    execFileSync('flite', ['-voice', 'slt', '-t', text, '-o', wav]);
    const s = readWav16k(wav).samples;
    const padded = new Int16Array(s.length + 8000);
    padded.set(s, 4000);
    logTurn(db, `v${i}`, NOW - 3_600_000 + i * 100_000, text);
    v.keep(turn({ turnId: `v${i}`, atMs: NOW - 3_600_000 + i * 100_000, heard: text }), padded);
  });
}
const NAMES = ['kitchen light', 'bedroom lamp', 'hallway fan', 'coffee maker', 'oven'];
const SENTENCES = NAMES.flatMap((n) => [`turn on the ${n}`, `turn off the ${n}`, `is the ${n} on`, `switch off the ${n}`, `turn the ${n} on`]);

describe('hearth learn --voices (pocketsphinx, MLLR or MAP)', () => {
  it('adapts to kept turns, keeps the version that is better on the held-back tenth, refuses a worse one, and rolls back', async () => {
    const { dir, db } = hub();
    const v = new VoiceTurns(db, dir, ON);
    fliteTurns(dir, db, v, SENTENCES);
    expect(splitHeldBack(SENTENCES).heldBack.length).toBe(2);
    const first = await adaptPocketsphinx(v, dir, DEBIAN_MODEL, FEEDBACK);
    expect(first).toMatchObject({ turns: 25, heldBack: 2, kept: true, version: 1 });
    const chosen = first.candidates![first.method!];
    expect(chosen.logLikelihoodPerFrame).toBeGreaterThan(first.before!.logLikelihoodPerFrame);
    expect(chosen.correct).toBeGreaterThanOrEqual(first.before!.correct);
    const active = activeAdaptation(dir);
    expect(Object.values(active)[0]).toContain(join('voices', 'pocketsphinx', 'v1'));
    // The hub's engine starts with it.
    const engine = new PocketsphinxEngine({ names: NAMES, areas: [] }, { ...DEBIAN_MODEL, ...active });
    await engine.stop();

    // Candidates that shift every mean's energy far off fit the held-back turns worse: none kept, v1 stays active.
    const bad = async (_t: unknown, work: string) => {
      mkdirSync(work, { recursive: true });
      const stream = (n: number) => `${Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? '1.0' : '0.0')).join(' ')).join('\n')}\n${['25.0', ...Array(n - 1).fill('0.0')].join(' ')}\n${Array(n).fill('1.0').join(' ')}\n`;
      const f = join(work, 'bad_matrix');
      writeFileSync(f, `1\n3\n13\n${stream(13)}13\n${stream(13)}13\n${stream(13)}`);
      return { mllr: { mllr: f }, map: { mllr: f } };
    };
    const second = await adaptPocketsphinx(v, dir, DEBIAN_MODEL, FEEDBACK, { estimate: bad });
    expect(second.kept).toBe(false);
    expect(second.candidates!.mllr.logLikelihoodPerFrame).toBeLessThan(second.before!.logLikelihoodPerFrame);
    expect(new Adaptations(dir, 'pocketsphinx').active()).toBe(1);

    // A damaged adaptation costs the adaptation, never the listening: the model as shipped runs, and it is said.
    writeFileSync(active.mean ?? active.mllr!, 'damaged');
    const said: string[] = [];
    const log = { ...silentLogger, error: (_o: unknown, msg: string) => { said.push(msg); }, child: () => log } as unknown as Logger;
    const fallback = createAdaptedAsr('pocketsphinx', { names: NAMES, areas: [] }, ASR_DEFAULTS, dir, log);
    expect(said[0]).toMatch(/is damaged\. The pocketsphinx engine runs as shipped/);
    await fallback.stop();

    expect(new Adaptations(dir, 'pocketsphinx').rollback()).toEqual({ from: 1, to: undefined });
    expect(activeAdaptation(dir)).toEqual({});
    expect(existsSync(join(dir, 'voices', 'pocketsphinx', 'v1'))).toBe(false); // undone, and gone from the disk
  }, 120_000);

  it('needs at least 20 turns that worked, and says so; a rollback with nothing active says that', async () => {
    const { dir, db } = hub();
    const v = new VoiceTurns(db, dir, ON);
    fliteTurns(dir, db, v, SENTENCES.slice(0, 5));
    db.close();
    const config = loadConfig({ overrides: { dataDir: dir, learning: { keepVoiceTurns: true } } });
    const lines: string[] = [];
    expect(await learnVoicesCommand(config, false, (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual(['pocketsphinx: 5 kept turns worked, 1 held back for the check.', '  Not kept: 5 turns that worked are kept; at least 20 are needed.',
      'amortized: 5 kept turns it can spell worked, 1 held back for the check.', '  Not kept: 5 turns that worked are kept; at least 20 are needed.']);
    expect(activeAdaptation(dir)).toEqual({});
    lines.length = 0;
    await learnVoicesCommand(config, true, (l) => lines.push(l), 'pocketsphinx');
    expect(lines).toEqual(['No pocketsphinx adaptation is active; it runs as shipped.']);
    // The default engine (moonshine) is not adapted: a rollback must name one.
    await expect(learnVoicesCommand(config, true, () => undefined)).rejects.toThrow(/--engine pocketsphinx\|amortized/);
  }, 60_000);
});

describe('hearth learn --voices (amortized, fine-tuned adapter and head)', () => {
  it('fine-tunes on kept turns, keeps it when the held-back loss falls, and the engine runs on the adapted graphs', async () => {
    const { dir, db } = hub();
    const v = new VoiceTurns(db, dir, ON);
    fliteTurns(dir, db, v, SENTENCES);
    const r = await adaptAmortized(v, dir, FEEDBACK, { steps: 40 });
    expect(r).toMatchObject({ engine: 'amortized', turns: 25, heldBack: 2, kept: true, version: 1 });
    expect(r.after!.lossPerFrame).toBeLessThan(r.before!.lossPerFrame);
    const { amortizedAdaptation } = adaptationSettings('amortized', dir);
    expect(Object.keys(amortizedAdaptation!).sort()).toEqual(['frontend.onnx', 'head.onnx']);
    const engine = new AmortizedEngine({ names: NAMES, areas: [] }, { modelsDir: DEFAULT_MODELS_DIR, runtime: 'auto', minConfidence: 0.6, beam: 16, adapted: amortizedAdaptation! });
    const s = engine.start();
    const clip = readWav16k(join(dir, 'say-0.wav')).samples;
    for (let i = 0; i < clip.length; i += 320) await s.push({ startMs: i / 16, samples: clip.subarray(i, i + 320) });
    const t = await s.finish();
    expect(t.engine).toBe('amortized');
    await engine.stop();
    expect(new Adaptations(dir, 'amortized').rollback()).toEqual({ from: 1, to: undefined });
    expect(adaptationSettings('amortized', dir)).toEqual({});
  }, 180_000);
});

describe('hearth forget --all', () => {
  it('erases the kept recordings and every adaptation with the turn log', () => {
    const { dir, db } = hub();
    new VoiceTurns(db, dir, ON).keep(turn(), tone());
    const a = new Adaptations(dir, 'pocketsphinx');
    const { version, dir: vdir } = a.reserve();
    writeFileSync(join(vdir, 'mllr_matrix'), 'x');
    a.activate(version);
    db.close();
    const config = loadConfig({ overrides: { dataDir: dir } });
    const lines: string[] = [];
    expect(forgetAll(config, true, (l) => lines.push(l))).toBe(0);
    expect(lines[0]).toContain('1 voice_turns');
    expect(existsSync(join(dir, 'voices'))).toBe(false);
    expect(activeAdaptation(dir)).toEqual({});
  });
});
