/**
 * `hearth learn --voices` on a real person: the Speech-to-Phrase requests of the natural-speech set (one speaker) as a
 * household, one left out at a time. The hub, running the `--label` engine, keeps the other requests as it would (that
 * engine's words as the label; a request it asked about is kept when the person would say yes to it; one it carried
 * out wrong is flagged, as a reversal would); `--engine` is adapted to them and hears the left-out request again. A
 * person's 17 other requests are fewer than the hub's minimum of 20, so the minimum is lowered here (--min); nothing
 * is trained on the clip being scored.
 *
 *   node dist/tools/eval/voices-natural.js ../shared/datasets/natural-speech [--engine pocketsphinx|amortized] [--label moonshine] [--min 8]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config/load.js';
import { asrSettingsOf } from '../../runtime/asr/engines.js';
import { DEBIAN_MODEL } from '../../runtime/asr/pocketsphinx.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { openDatabase } from '../../runtime/store/db.js';
import { VoiceTurns } from '../../runtime/learning/voices/kept.js';
import { adaptPocketsphinx } from '../../runtime/learning/voices/adapt.js';
import { adaptationSettings } from '../../runtime/learning/voices/versions.js';
import { adaptAmortized } from '../../runtime/learning/voices/amortized.js';
import { confirmGate } from '../../runtime/asr/uncertain.js';
import { readNaturalSet } from './natural-set.js';
import { evaluateNatural, naturalHub, type NaturalClipResult } from './asr-natural.js';

const FEEDBACK = { rephraseWindowMs: 30000, reversalWindowMs: 60000, rephraseSimilarity: 0.5 };
/**
 * Heard word for word and acted on without asking. (Not "the same turn as typed": the evaluation's hub keeps its state
 * between clips, so a timer cancelled by one clip's typed reference is gone for the next.)
 */
const right = (c: NaturalClipResult) => c.exact && !c.confirmAsked;
const mark = (c: NaturalClipResult) => `${c.heard ?? '(rejected)'}${c.confirmAsked ? ' (asked)' : ''} ${right(c) ? '✓' : '✗'}`;

type Adaptable = 'pocketsphinx' | 'amortized';

export async function naturalVoices(folder: string, o: { prefix: string; minTurns: number; engine: Adaptable; label: string }, out: (s: string) => void): Promise<void> {
  const { prefix, minTurns, engine } = o;
  const all = readNaturalSet(folder);
  const set = { ...all, clips: all.clips.filter((c) => c.category === 'commands' && c.id.startsWith(prefix)) };
  const config = loadConfig({ env: {} });
  const settings = asrSettingsOf(config);
  const gate = (e: string) => confirmGate(config.asr, e);
  const { hub, stop } = await naturalHub(set, config);
  try {
    const labeller = await evaluateNatural(set, o.label, settings, hub, gate(o.label));
    const shipped = o.label === engine ? labeller : await evaluateNatural(set, engine, settings, hub, gate(engine));
    out(`Labels: what ${o.label} heard (${labeller.clips.filter(right).length}/${labeller.doable} right). Adapted: ${engine}.\n`);
    out(`| left out | said | as shipped | turns learnt from | adaptation | adapted |`);
    out(`|---|---|---|---|---|---|`);
    let before = 0, after = 0, doable = 0;
    for (const [i, clip] of set.clips.entries()) {
      if (shipped.clips[i]!.kind !== 'doable') continue;
      doable++;
      const dataDir = mkdtempSync(join(tmpdir(), 'hearth-voices-natural-'));
      const { db } = openDatabase(join(dataDir, 'hearth.db'));
      const voices = new VoiceTurns(db, dataDir, { keepVoiceTurns: true, voiceTurnsMax: 500, voiceTurnsMaxAgeDays: 90 });
      const log = db.prepare(`INSERT INTO interactions (id, session_id, started_at_ms, source, input_text, outcome, speech, used_context_json, commands_json, stages_json, total_ms)
        VALUES (?, ?, ?, 'speech', ?, ?, '', '[]', '[]', '[]', 0)`);
      const t0 = Date.now() - 3_600_000;
      for (const [j, r] of labeller.clips.entries()) {
        if (j === i || r.heard === null || r.kind !== 'doable') continue;
        const id = r.id, atMs = t0 + j * 100_000;
        log.run(id, id, atMs, r.heard, r.confirmAsked ? 'asked' : 'action-done');
        if (r.confirmAsked) log.run(`${id}-answer`, id, atMs + 4000, r.exact ? 'yes' : 'no', r.exact ? 'action-done' : 'cancelled');
        else if (!r.exact) db.prepare("INSERT INTO feedback_events (turn_id, kind, at_ms) VALUES (?, 'reversal', ?)").run(id, atMs + 5000);
        const { samples } = readWav16k(set.clips[j]!.audio);
        const padded = new Int16Array(samples.length + 8000);
        padded.set(samples);
        voices.keep({ turnId: id, atMs, heard: r.heard, engine: o.label, confidence: r.confidence, asked: r.confirmAsked, outcome: 'action-done', intent: undefined, secret: false }, padded);
      }
      const report = engine === 'pocketsphinx' ? await adaptPocketsphinx(voices, dataDir, DEBIAN_MODEL, FEEDBACK, { minTurns }) : await adaptAmortized(voices, dataDir, FEEDBACK, { minTurns });
      db.close();
      const adapted = report.kept ? (await evaluateNatural({ ...set, clips: [clip] }, engine, { ...settings, ...adaptationSettings(engine, dataDir) }, hub, gate(engine))).clips[0]! : shipped.clips[i]!;
      rmSync(dataDir, { recursive: true, force: true });
      if (right(shipped.clips[i]!)) before++;
      if (right(adapted)) after++;
      out(`| ${clip.id} | ${clip.said} | ${mark(shipped.clips[i]!)} | ${report.turns} | ${report.kept ? (report.engine === 'pocketsphinx' ? report.method : 'kept') : 'none kept'} | ${mark(adapted)} |`);
    }
    out(`\nRight (word for word, acted on without asking): as shipped ${before}/${doable}, adapted ${after}/${doable}.`);
  } finally {
    await stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string, d: string) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1]! : d; };
  const folder = process.argv[2];
  if (!folder) { process.stderr.write('usage: node dist/tools/eval/voices-natural.js <natural-speech folder> [--engine pocketsphinx|amortized] [--label engine] [--min 8] [--prefix stp_]\n'); process.exit(2); }
  await naturalVoices(folder, { prefix: arg('--prefix', 'stp_'), minTurns: Number(arg('--min', '8')), engine: arg('--engine', 'pocketsphinx') as Adaptable, label: arg('--label', 'pocketsphinx') },
    (s) => process.stdout.write(`${s}\n`));
}
