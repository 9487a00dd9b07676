/**
 * The audio of spoken turns that worked, kept for adapting the ASR to this household's voices (learning.keepVoiceTurns,
 * off by default). Local only: WAV files in <dataDir>/voices/turns and a row each in voice_turns; bounded in count and
 * age (the oldest go first); erased by `hearth forget --all`. A turn is kept when the run went on with the words heard
 * and nothing secret was said; the words are its label. Whether it truly worked is read from the turn log when the
 * adaptation runs, since those signs come later: no rephrase, "no", barge-in or reversal after it, and a turn the hub
 * was unsure of ("Did you say ...?") only once the person said yes: the person's own word is the best label there is.
 */
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../store/db.js';
import type { Logger } from '../../log.js';
import { encodeWav, readWav16k } from '../../audio/wav.js';
import { labelTurns, isDialogueTurn, FAILED_OUTCOMES, type FeedbackSettings } from '../feedback.js';
import { readLog } from '../log-reader.js';
import { normalize } from '../../nlu/normalize.js';
import { holdsSecret } from '../../policy/secret.js';
import type { Transcript } from '../../asr/engine.js';
import type { TurnResult } from '../../types/pipeline.js';

export interface KeepSettings {
  readonly keepVoiceTurns: boolean;
  /** Turns kept at most; past it the oldest are erased. */
  readonly voiceTurnsMax: number;
  /** Turns older than this many days are erased. */
  readonly voiceTurnsMaxAgeDays: number;
}

/** What the hub knows of a spoken turn when it ends. */
export interface SpokenTurn {
  readonly turnId: string;
  readonly atMs: number;
  /** The words heard (the engine's best hypothesis), which become the label. */
  readonly heard: string;
  readonly engine: string;
  readonly confidence: number;
  /** The hub asked "Did you say ...?" instead of acting: learnt from only if the person says yes. */
  readonly asked: boolean;
  readonly outcome: string;
  readonly intent: string | undefined;
  /** The words hold the PIN (or a secret): never kept. */
  readonly secret: boolean;
  readonly sessionId?: string;
  /** The hub's reply asked for the PIN: the next turn of this conversation is never kept, whatever it was heard as. */
  readonly asksPin?: boolean;
}

export interface KeptTurn { readonly turnId: string; readonly atMs: number; readonly text: string; readonly engine: string; readonly confidence: number; readonly asked: number; readonly file: string }
const COLUMNS = 'turn_id AS turnId, at_ms AS atMs, text, engine, confidence, asked, file';
const YES = /^(yes|yeah|yep|yup|correct|right|that is right|sure)( please)?$/;

export const DAY_MS = 86_400_000;

export class VoiceTurns {
  readonly dir: string;
  /** Conversations whose next turn answers a PIN question. */
  private readonly pinAnswerNext = new Set<string>();
  constructor(private readonly db: Db, dataDir: string, private readonly s: KeepSettings, private readonly nowMs: () => number = Date.now, private readonly log?: Logger) {
    this.dir = voiceTurnsDir(dataDir);
  }

  /** Why a turn is not kept, or undefined when it is. */
  static refusal(t: SpokenTurn): string | undefined {
    if (t.secret) return 'secret';
    if (FAILED_OUTCOMES.has(t.outcome)) return 'failed';
    if (isDialogueTurn({ id: t.turnId, sessionId: '', atMs: t.atMs, text: t.heard, outcome: t.outcome, errorCode: null, intent: t.intent ?? null })) return 'dialogue';
    if (t.heard.trim() === '') return 'no-words';
    return undefined;
  }

  /** Keeps the turn's audio when the household opted in and the turn qualifies; a full disk costs the audio, never the turn. */
  keep(t: SpokenTurn, samples: Int16Array): boolean {
    if (!this.s.keepVoiceTurns) return false;
    const answersPin = t.sessionId !== undefined && this.pinAnswerNext.delete(t.sessionId);
    if (t.asksPin && t.sessionId !== undefined) this.pinAnswerNext.add(t.sessionId);
    if (answersPin || t.asksPin || VoiceTurns.refusal(t) !== undefined) return false;
    const file = `${t.turnId.replace(/[^A-Za-z0-9_-]/g, '_')}.wav`;
    try {
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(join(this.dir, file), encodeWav(samples));
      this.db.prepare('INSERT OR REPLACE INTO voice_turns (turn_id, at_ms, text, engine, confidence, asked, file) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(t.turnId, t.atMs, t.heard, t.engine, t.confidence, t.asked ? 1 : 0, file);
      this.prune();
      return true;
    } catch (err) {
      this.log?.warn({ code: 'voices-keep-failed', dir: this.dir, err: (err as Error).message }, `could not keep a turn's audio in ${this.dir}; the turn itself is unaffected`);
      rmSync(join(this.dir, file), { force: true });
      return false;
    }
  }

  /** Erases turns past the age limit and the oldest past the count limit. */
  prune(): number {
    const tooOld = this.nowMs() - this.s.voiceTurnsMaxAgeDays * DAY_MS;
    const rows = this.db.prepare<[], KeptTurn>(`SELECT ${COLUMNS} FROM voice_turns ORDER BY at_ms DESC`).all();
    const gone = rows.filter((r, i) => r.atMs < tooOld || i >= this.s.voiceTurnsMax);
    const del = this.db.prepare<[string]>('DELETE FROM voice_turns WHERE turn_id = ?');
    for (const r of gone) { rmSync(join(this.dir, r.file), { force: true }); del.run(r.turnId); }
    return gone.length;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM voice_turns').get() as { n: number }).n;
  }

  /**
   * Kept turns that worked: no defect sign in the turn log after them, and a "yes" after the hub asked. Their audio is
   * read when wanted (`audio()`), one turn at a time: 500 kept turns would be ~50 MB at once, in the hub's nightly job.
   */
  worked(feedback: FeedbackSettings): (KeptTurn & { path: string; audio(): Int16Array })[] {
    this.prune();
    const turns = readLog(this.db).turns;
    const labels = new Map(labelTurns(turns, feedback).map((l) => [l.id, l]));
    const confirmed = new Set<string>(), last = new Map<string, (typeof turns)[number]>();
    for (const t of turns) {
      const before = last.get(t.sessionId);
      if (before && t.atMs - before.atMs <= feedback.rephraseWindowMs && YES.test(normalize(t.text))) confirmed.add(before.id);
      last.set(t.sessionId, t);
    }
    const rows = this.db.prepare<[], KeptTurn>(`SELECT ${COLUMNS} FROM voice_turns ORDER BY at_ms`).all();
    return rows.filter((r) => labels.get(r.turnId)?.defect === false && (r.asked === 0 || confirmed.has(r.turnId)) && existsSync(join(this.dir, r.file)))
      .map((r) => { const path = join(this.dir, r.file); return { ...r, path, audio: () => readWav16k(path).samples }; });
  }
}

export function voicesDir(dataDir: string): string {
  return join(dataDir, 'voices');
}
export function voiceTurnsDir(dataDir: string): string {
  return join(voicesDir(dataDir), 'turns');
}

/** `hearth forget --all`: every kept turn's audio and every adaptation made from them. Returns the files erased. */
export function forgetVoices(dataDir: string): number {
  const dir = voicesDir(dataDir);
  if (!existsSync(dir)) return 0;
  const turns = voiceTurnsDir(dataDir);
  const n = existsSync(turns) ? readdirSync(turns, { withFileTypes: true }).filter((e) => e.isFile()).length : 0;
  rmSync(dir, { recursive: true, force: true });
  return n;
}

/** The spoken turn as keep() judges it, from the run's result and the transcript it ran on. */
export function spokenTurn(r: Pick<TurnResult, 'turnId' | 'sessionId' | 'atMs' | 'intent' | 'response' | 'stages'>, t: Transcript, asked: boolean, pin: string | null): SpokenTurn {
  const top = t.hypotheses[0];
  const heard = top?.text ?? '';
  const asksPin = r.stages.some((s) => s.stage === 'policy' && (s.output as { kind?: string } | null | undefined)?.kind === 'needs-pin');
  return { turnId: r.turnId, sessionId: r.sessionId, atMs: r.atMs, heard, engine: t.engine, confidence: top?.confidence ?? 0, asked, outcome: r.response.outcome,
    intent: r.intent, secret: holdsSecret(heard, pin) || r.intent === 'HearthDigits', asksPin };
}
