/**
 * The learning job (nightly in the hub, `hearth learn`, the scenario `learn` turn): label every
 * logged turn with its implicit feedback, cut the log into rephrase chains, mine them with the
 * absorbing Markov chain, and store what passes the thresholds as personal rewrites. A mined rewrite
 * that would reach a sensitive action the request did not name is refused by the cache and counted.
 */
import type { Db } from '../store/db.js';
import { HearthError } from '../types/errors.js';
import { normalize } from '../nlu/normalize.js';
import type { RewriteCache } from '../rewrite/cache.js';
import { isDialogueTurn, labelTurns, type FeedbackSettings, type LoggedTurn, type TurnLabel } from './feedback.js';
import { readLog } from './log-reader.js';
import { mineRewrites, type ChainTurn, type MiningSettings } from './markov.js';

export type LearningSettings = FeedbackSettings & MiningSettings;

export interface LearningSummary {
  readonly turns: number;
  readonly defects: number;
  readonly chains: number;
  readonly mined: number;
  readonly added: number;
  readonly refused: number;
}

export function runLearning(db: Db, cache: RewriteCache, s: LearningSettings): LearningSummary {
  const { turns } = readLog(db);
  const labels = labelTurns(turns, s);
  const update = db.prepare<[string, string]>('UPDATE interactions SET feedback_json = ? WHERE id = ?');
  db.transaction(() => { for (const l of labels) update.run(JSON.stringify({ defect: l.defect, reason: l.reason }), l.id); })();
  const chains = rephraseChains(turns, labels, s.rephraseWindowMs);
  const mined = mineRewrites(chains, s);
  let added = 0, refused = 0;
  for (const m of mined) {
    try {
      cache.add('personal', m.source, m.target, m.support, m.probability);
      added++;
    } catch (err) {
      if (err instanceof HearthError && (err.code === 'rewrite-sensitive' || err.code === 'rewrite-invalid' || err.code === 'rewrite-secret')) refused++;
      else throw err;
    }
  }
  return { turns: turns.length, defects: labels.filter((l) => l.defect).length, chains: chains.length, mined: mined.length, added, refused };
}

/** From each defective turn, the turns that follow it in the same session within the window, up to the first success. */
export function rephraseChains(turns: readonly LoggedTurn[], labels: readonly TurnLabel[], windowMs: number): ChainTurn[][] {
  const byId = new Map(labels.map((l) => [l.id, l]));
  const sorted = [...turns].sort((a, b) => a.atMs - b.atMs);
  const chains: ChainTurn[][] = [];
  let current: ChainTurn[] = [];
  let last: LoggedTurn | undefined;
  for (const t of sorted) {
    if (isDialogueTurn(t)) continue; // "no", a PIN, "never mind": feedback and answers, not requests
    if (t.text.trim() === '') continue; // speech that never became words: nothing to rewrite from or to
    const label = byId.get(t.id)!;
    const continues = last !== undefined && current.length > 0 && last.sessionId === t.sessionId && t.atMs - last.atMs <= windowMs;
    if (!continues) {
      if (current.length > 1) chains.push(current);
      current = [];
    }
    if (current.length > 0 || label.defect) current.push({ text: normalize(t.text), success: !label.defect });
    if (!label.defect && current.length > 0) {
      if (current.length > 1) chains.push(current);
      current = [];
    }
    last = t;
  }
  if (current.length > 1) chains.push(current);
  return chains;
}
