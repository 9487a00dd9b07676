/**
 * A simulated household for `hearth learn --voices` (issue 41 item 4): speakers pocketsphinx never heard (synthetic
 * voices; no Hearth model trains on flite slt or espeak-ng en-029) live with the hub for `--kept` requests. The hub
 * keeps its turns with its own words as the label (never the script's), the same adaptation code as the CLI runs on
 * them (held-back check included), and other requests by the same speaker are decoded before and after. Two bounds on
 * implicit feedback for the turns it carried out without asking: `caught` (every one it got wrong is flagged, as a
 * reversal or rephrase would) and `none` (none is, wrong words and all).
 *
 *   node dist/tools/eval/voices.js [--engine pocketsphinx|amortized] [--voices flite-slt,...] [--kept 50] [--test 30]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';
import { openDatabase } from '../../runtime/store/db.js';
import { DEBIAN_MODEL } from '../../runtime/asr/pocketsphinx.js';
import { ASR_DEFAULTS, createAsrEngine } from '../../runtime/asr/engines.js';
import type { AsrEngine } from '../../runtime/asr/engine.js';
import { adaptAmortized } from '../../runtime/learning/voices/amortized.js';
import { needsConfirmation } from '../../runtime/asr/uncertain.js';
import type { Transcript } from '../../runtime/asr/engine.js';
import { VoiceTurns } from '../../runtime/learning/voices/kept.js';
import { adaptPocketsphinx } from '../../runtime/learning/voices/adapt.js';
import { adaptationSettings } from '../../runtime/learning/voices/versions.js';
import { HOME } from '../asr-data/generate.js';

/** Each request said a little differently (rate and pitch), as a person never says a thing twice the same way. */
const VOICES: Record<string, (text: string, wav: string, rate: number, pitch: number) => void> = {
  'flite-slt': (t, w, r, p) => { execFileSync('flite', ['-voice', 'slt', '--setf', `duration_stretch=${(1 / r).toFixed(3)}`, '--setf', `int_f0_target_mean=${Math.round(170 * p)}`, '-t', t, '-o', w]); },
  'espeak-en-029': (t, w, r, p) => { execFileSync('espeak-ng', ['-v', 'en-029', '-s', String(Math.round(150 * r)), '-p', String(Math.round(50 * p)), '-w', w, t]); },
  'espeak-en-029+f2': (t, w, r, p) => { execFileSync('espeak-ng', ['-v', 'en-029+f2', '-s', String(Math.round(150 * r)), '-p', String(Math.round(50 * p)), '-w', w, t]); },
};
const FEEDBACK = { rephraseWindowMs: 30000, reversalWindowMs: 60000, rephraseSimilarity: 0.5 };
/** asr.<engine>ConfirmBelow's defaults: below it the hub asks "Did you say ...?". */
const CONFIRM_BELOW: Record<Engine, number> = { pocketsphinx: 0.9, amortized: 0 };
type Engine = 'pocketsphinx' | 'amortized';

/** Requests about the asr-eval home, in a fixed shuffled order. */
export function householdSentences(): string[] {
  const names = HOME.names.map((n) => n.toLowerCase()), areas = HOME.areas.map((a) => a.toLowerCase());
  const out: string[] = [];
  for (const n of names) out.push(`turn on the ${n}`, `turn off the ${n}`, `switch on the ${n}`, `switch off the ${n}`, `turn the ${n} on`, `turn the ${n} off`, `is the ${n} on`);
  for (const n of names.filter((x) => /lamp|light/.test(x))) for (const p of ['ten', 'twenty', 'thirty', 'fifty', 'eighty']) out.push(`set the ${n} to ${p} percent`);
  for (const a of areas) out.push(`what is the temperature in the ${a}`, `turn on the lights in the ${a}`, `turn off the lights in the ${a}`);
  out.push('lock the front door', 'unlock the front door', 'what time is it');
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (let i = out.length - 1; i > 0; i--) { const j = Math.floor(rand() * (i + 1)); [out[i], out[j]] = [out[j]!, out[i]!]; }
  return out;
}

async function decode(engine: AsrEngine, samples: Int16Array): Promise<Transcript> {
  const s = engine.start({});
  for (let i = 0; i < samples.length; i += 320) await s.push({ startMs: i / 16, samples: samples.subarray(i, i + 320) });
  return s.finish();
}

function audio(work: string, voice: string, name: string, text: string, rand: () => number): Int16Array {
  const f = join(work, 'audio', voice, `${name}.wav`);
  const rate = 0.85 + 0.3 * rand(), pitch = 0.85 + 0.3 * rand();
  if (!existsSync(f)) {
    mkdirSync(join(work, 'audio', voice), { recursive: true });
    const tmp = join(work, 'raw.wav');
    VOICES[voice]!(text, tmp, rate, pitch);
    const { samples } = readWav16k(tmp);
    const padded = new Int16Array(samples.length + 12000);
    padded.set(samples, 4000);
    writeFileSync(f, encodeWav(padded));
  }
  return readWav16k(f).samples;
}

function heldBackSummary(r: Awaited<ReturnType<typeof adaptPocketsphinx>> | Awaited<ReturnType<typeof adaptAmortized>>): string {
  if (r.engine === 'pocketsphinx') return `${r.kept ? `${r.method} kept` : 'none kept'} (held back right and sure: shipped ${r.before?.sure ?? '-'} / MLLR ${r.candidates?.mllr.sure ?? '-'} / MAP ${r.candidates?.map.sure ?? '-'} of ${r.heldBack})`;
  return `${r.kept ? 'kept' : 'none kept'} (held-back CTC loss per frame ${r.before?.lossPerFrame.toFixed(3) ?? '-'} -> ${r.after?.lossPerFrame.toFixed(3) ?? '-'}, ${r.heldBack} turns)`;
}

const seeded = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);

/**
 * The household lives with the hub until `keptN` of its turns worked or `maxLived` were said: requests drawn (with
 * repeats, as in a real home) from the first sentences; the hub's confident words are carried out and kept, and when
 * it asks "Did you say ...?" the person answers yes only if it heard right. Then `hearth learn --voices`, then
 * requests the household never said before, decoded with and without the adaptation.
 */
async function household(engineId: Engine, work: string, voice: string, feedback: 'caught' | 'none', keptN: number, testN: number, out: (s: string) => void): Promise<void> {
  const all = householdSentences();
  const pool = all.slice(0, all.length - testN), test = all.slice(all.length - testN);
  const dataDir = join(work, `hub-${engineId}-${voice}-${feedback}`);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const { db } = openDatabase(join(dataDir, 'hearth.db'));
  const voices = new VoiceTurns(db, dataDir, { keepVoiceTurns: true, voiceTurnsMax: 500, voiceTurnsMaxAgeDays: 90 });
  const shipped = createAsrEngine(engineId, HOME);
  const pick = seeded(11), say = seeded(13);
  const log = db.prepare(`INSERT INTO interactions (id, session_id, started_at_ms, source, input_text, outcome, speech, used_context_json, commands_json, stages_json, total_ms)
      VALUES (?, ?, ?, 'speech', ?, ?, '', '[]', '[]', '[]', 0)`);
  let lived = 0, worked = 0, wrongKept = 0;
  const t0 = Date.now() - 400 * 120_000;
  while (worked < keptN && lived < 400) {
    const said = pool[Math.floor(pick() * pool.length)]!;
    const samples = audio(work, voice, `lived-${lived}`, said, say);
    const t = await decode(shipped, samples);
    const heard = t.rejected ? '' : t.hypotheses[0]?.text ?? '';
    const id = `${voice}-${lived}`, atMs = t0 + lived * 120_000;
    lived++;
    const asked = heard !== '' && needsConfirmation(t, CONFIRM_BELOW[engineId]);
    log.run(id, id, atMs, heard, heard === '' ? 'no-match' : asked ? 'asked' : 'action-done');
    if (asked) log.run(`${id}-answer`, id, atMs + 4000, heard === said ? 'yes' : 'no', heard === said ? 'action-done' : 'cancelled');
    else if (feedback === 'caught' && heard !== '' && heard !== said) db.prepare("INSERT INTO feedback_events (turn_id, kind, at_ms) VALUES (?, 'reversal', ?)").run(id, atMs + 5000);
    const kept = voices.keep({ turnId: id, atMs, heard, engine: t.engine, confidence: t.hypotheses[0]?.confidence ?? 0, asked, outcome: heard ? 'action-done' : 'no-match', intent: undefined, secret: false }, samples);
    if (kept && (heard === said || !asked) && (feedback === 'none' || heard === said)) { worked++; if (heard !== said) wrongKept++; }
  }
  const report = engineId === 'pocketsphinx' ? await adaptPocketsphinx(voices, dataDir, DEBIAN_MODEL, FEEDBACK) : await adaptAmortized(voices, dataDir, FEEDBACK);
  const a = adaptationSettings(engineId, dataDir);
  const adapted = Object.keys(a).length > 0 ? createAsrEngine(engineId, HOME, { ...ASR_DEFAULTS, ...a }) : shipped;
  let before = 0, after = 0;
  const testSay = seeded(17);
  for (const [j, said] of test.entries()) {
    const samples = audio(work, voice, `test-${j}`, said, testSay);
    const a = await decode(shipped, samples), b = await decode(adapted, samples);
    if (!a.rejected && a.hypotheses[0]?.text === said) before++;
    if (!b.rejected && b.hypotheses[0]?.text === said) after++;
  }
  out(`| ${voice} | ${feedback} | ${lived} | ${report.turns} (${wrongKept} wrong) | ${heldBackSummary(report)} | ${before}/${test.length} | ${after}/${test.length} |`);
  await shipped.stop();
  if (adapted !== shipped) await adapted.stop();
  db.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string, d: string) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1]! : d; };
  const work = arg('--work', '/tmp/hearth-voices-eval'), keptN = Number(arg('--kept', '50')), testN = Number(arg('--test', '30'));
  const engine = arg('--engine', 'pocketsphinx') as Engine, voices = arg('--voices', Object.keys(VOICES).join(',')).split(',');
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(`| speaker | feedback | requests said | turns learnt from (wrong words) | adaptation (${engine}) | new requests right before | after |`);
  out(`|---|---|---|---|---|---|---|`);
  for (const v of voices) for (const f of ['caught', 'none'] as const) await household(engine, work, v, f, keptN, testN, out);
}
