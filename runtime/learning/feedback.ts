/**
 * Implicit feedback from the turn log: each turn is labelled a defect (with the reason) or a success.
 * Defect signs: the hub could not do it (no match, no device, error, not supported); the person said
 * "no" or "that's wrong" right after; the person rephrased (a similar request soon after a defect
 * sign); a device the turn switched was set back by other means soon after (a reversal, seen on
 * MQTT); or the person said the wake word while the reply was being spoken (a barge-in). A turn with no defect sign after it is a success. Pure: rows in, labels out.
 */
import { features, similarity } from '../rewrite/similarity.js';
import { normalize } from '../nlu/normalize.js';

export interface LoggedTurn {
  readonly id: string;
  readonly sessionId: string;
  readonly atMs: number;
  readonly text: string;
  readonly outcome: string;
  readonly errorCode: string | null;
  readonly intent?: string | null;
  /** When a device the turn switched was switched back by other means (a reversal), if it was. */
  readonly reversedAtMs?: number | null;
  /** When the person cut the reply off with the wake word (a barge-in), if they did. */
  readonly bargedInAtMs?: number | null;
}

export type DefectReason = 'failed' | 'explicit-negative' | 'rephrase' | 'reversal' | 'barge-in';
export interface TurnLabel { readonly id: string; readonly defect: boolean; readonly reason: DefectReason | 'success' }

export interface FeedbackSettings {
  /** A follow-up later than this is a new request, not a rephrase (ms). */
  readonly rephraseWindowMs: number;
  /** A device set back later than this after the command was not a reversal (ms). */
  readonly reversalWindowMs: number;
  /** Similarity (0-1) above which the next request is a rephrase of this one. */
  readonly rephraseSimilarity: number;
}

export const FAILED_OUTCOMES: ReadonlySet<string> = new Set(['no-match', 'no-device', 'error', 'not-supported']);
const NEGATIVE = /^(no|nope|stop|no stop|wrong|not that|that is (wrong|not right)|no that is (wrong|not right|not what i (said|meant|asked))|that is not what i (said|meant|asked))( please)?$/;

/** Answers and feedback, not requests: they never start, end or join a rephrase chain. */
export function isDialogueTurn(t: LoggedTurn): boolean {
  return NEGATIVE.test(normalize(t.text)) || ['HearthDigits', 'HearthYes', 'HearthNo', 'HassNevermind'].includes(t.intent ?? '');
}

/** Turns in time order; chains are consecutive turns of one session within the rephrase window. */
export function labelTurns(turns: readonly LoggedTurn[], s: FeedbackSettings): TurnLabel[] {
  const sorted = [...turns].sort((a, b) => a.atMs - b.atMs);
  return sorted.map((t, i) => {
    const next = sorted[i + 1];
    const follows = next !== undefined && next.sessionId === t.sessionId && next.atMs - t.atMs <= s.rephraseWindowMs;
    const failed = FAILED_OUTCOMES.has(t.outcome);
    if (follows && NEGATIVE.test(normalize(next.text))) return { id: t.id, defect: true, reason: 'explicit-negative' as const };
    if (t.reversedAtMs !== undefined && t.reversedAtMs !== null && t.reversedAtMs - t.atMs <= s.reversalWindowMs) return { id: t.id, defect: true, reason: 'reversal' as const };
    if (t.bargedInAtMs !== undefined && t.bargedInAtMs !== null) return { id: t.id, defect: true, reason: 'barge-in' as const };
    if (failed && follows && (isRephrase(t.text, next.text, s.rephraseSimilarity) || sameMeaning(t, next))) return { id: t.id, defect: true, reason: 'rephrase' as const };
    if (failed) return { id: t.id, defect: true, reason: 'failed' as const };
    return { id: t.id, defect: false, reason: 'success' as const };
  });
}

/** The same intent both times (the first one failed on a word the hub did not know): similar in meaning. */
function sameMeaning(a: LoggedTurn, b: LoggedTurn): boolean {
  return !!a.intent && a.intent === b.intent;
}

/** Similar in sound or wording, or sharing most content words: "turn on the telly" / "switch the tv on". */
export function isRephrase(a: string, b: string, minSimilarity: number): boolean {
  const na = normalize(a), nb = normalize(b);
  if (na === nb) return true;
  if (similarity(features(na), features(nb)) >= minSimilarity) return true;
  const words = (x: string) => new Set(x.split(' ').filter((w) => w.length > 3));
  const wa = words(na), wb = words(nb);
  const shared = [...wa].filter((w) => wb.has(w)).length;
  return shared > 0 && shared >= Math.min(wa.size, wb.size) / 2;
}
