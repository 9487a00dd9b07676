/** Implicit feedback, the absorbing Markov chain, and the learning job on a real SQLite log. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absorption, mineRewrites } from '../../runtime/learning/markov.js';
import { labelTurns, type LoggedTurn } from '../../runtime/learning/feedback.js';
import { rephraseChains, runLearning } from '../../runtime/learning/learn.js';
import { openDatabase } from '../../runtime/store/db.js';
import { RewriteCache, rewriteSensitiveWords } from '../../runtime/rewrite/cache.js';

const settings = { rephraseWindowMs: 30000, rephraseSimilarity: 0.5, reversalWindowMs: 60000, minProbability: 0.5, minSupport: 2 };
const FAIL = '\u0000fail';

describe('absorbing Markov chain', () => {
  it('gives the absorption probabilities of B = (I - Q)^-1 R', () => {
    const counts = new Map([
      ['x', new Map([['a:y', 2], [FAIL, 1]])],
    ]);
    expect(absorption(counts).get('x')!.get('y')).toBeCloseTo(2 / 3, 9);
    // through a transient state: x -> z (fails again) -> y works, and x -> w works directly
    const chain = new Map([
      ['x', new Map([['t:z', 1], ['a:w', 1]])],
      ['z', new Map([['a:y', 3], ['t:x', 1]])],
    ]);
    const b = absorption(chain);
    // B_x = 0.5 [w] + 0.5 B_z ; B_z = 0.75 [y] + 0.25 B_x  =>  B_x(w) = 0.5 / (1 - 0.125) = 4/7, B_x(y) = 0.375 / 0.875 = 3/7
    expect(b.get('x')!.get('w')).toBeCloseTo(4 / 7, 6);
    expect(b.get('x')!.get('y')).toBeCloseTo(3 / 7, 6);
    expect(b.get('z')!.get('y')).toBeCloseTo(0.75 + 0.25 * 3 / 7, 6);
  });

  it('proposes a rewrite only with enough probability and support', () => {
    const chain = (end: string) => [{ text: 'put on the telly', success: false }, { text: end, success: true }];
    expect(mineRewrites([chain('turn on the tv')], settings)).toEqual([]); // one conversation is not enough
    expect(mineRewrites([chain('turn on the tv'), chain('turn on the tv'), [{ text: 'put on the telly', success: false }]], settings))
      .toEqual([{ source: 'put on the telly', target: 'turn on the tv', probability: 0.667, support: 2 }]);
    expect(mineRewrites([chain('turn on the tv'), chain('play the news')], settings)).toEqual([]); // 0.5 each, support 1 each
  });
});

describe('implicit feedback', () => {
  const turn = (id: string, atMs: number, text: string, outcome: string, sessionId = 's'): LoggedTurn => ({ id, sessionId, atMs, text, outcome, errorCode: null });
  it('labels failures, rephrases, explicit negatives and successes', () => {
    const labels = labelTurns([
      turn('1', 0, 'put on the telly', 'no-device'),
      turn('2', 5000, 'put on the tv', 'action-done'),
      turn('3', 100000, 'turn on the lamp', 'action-done'),
      turn('4', 103000, "no, that's wrong", 'answered'),
      turn('5', 200000, 'flurb the blorp', 'no-match'),
      turn('6', 900000, 'what time is it', 'answered'),
    ], settings);
    expect(labels.map((l) => `${l.id}:${l.reason}`)).toEqual(['1:rephrase', '2:success', '3:explicit-negative', '4:success', '5:failed', '6:success']);
  });
});

describe('rephrase chains', () => {
  it('leave out speech that never became words: a rejected utterance is not a request to rewrite', () => {
    const t = (id: string, atMs: number, text: string, outcome: string, errorCode: string | null = null): LoggedTurn => ({ id, sessionId: 's', atMs, text, outcome, errorCode });
    const turns = [t('1', 0, 'put on the telly', 'no-device'), t('2', 3000, '', 'error', 'asr-rejected'), t('3', 6000, 'turn on the tv', 'action-done')];
    const chains = rephraseChains(turns, labelTurns(turns, settings), settings.rephraseWindowMs);
    expect(chains).toEqual([[{ text: 'put on the telly', success: false }, { text: 'turn on the tv', success: true }]]);
  });
});

describe('the learning job', () => {
  it('labels the log, stores mined rewrites as personal, and refuses one that would unlock a door', () => {
    const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'hearth-learn-')), 'hearth.db'));
    const cache = new RewriteCache(db, { minSimilarity: 0.8, minPersonalSupport: 3, maxPosting: 5000, sensitiveWords: rewriteSensitiveWords(['oven']) });
    const insert = db.prepare(`INSERT INTO interactions (id, session_id, started_at_ms, source, input_text, intent, outcome, speech, used_context_json, commands_json, stages_json, total_ms)
      VALUES (?, ?, ?, 'text', ?, ?, ?, '', '[]', '[]', '[]', 1)`);
    let n = 0;
    const say = (session: string, at: number, text: string, intent: string | null, outcome: string) => insert.run(`t${n++}`, session, at, text, intent, outcome);
    for (const [i, s] of ['a', 'b'].entries()) {
      say(s, i * 1e6, 'put on the telly', 'HassTurnOn', 'no-device');
      say(s, i * 1e6 + 4000, 'turn on the big screen', 'HassTurnOn', 'action-done');
      say(s, i * 1e6 + 100000, 'good night', null, 'no-match');
      say(s, i * 1e6 + 104000, 'unlock the front door', 'HassTurnOff', 'asked');
    }
    const summary = runLearning(db, cache, settings);
    expect(summary).toMatchObject({ turns: 8, defects: 4, chains: 4, mined: 2, added: 1, refused: 1 });
    expect(cache.list('personal').map((r) => `${r.source} -> ${r.target}`)).toEqual(['put on the telly -> turn on the big screen']);
    const fb = db.prepare("SELECT feedback_json FROM interactions WHERE id = 't0'").get() as { feedback_json: string };
    expect(JSON.parse(fb.feedback_json)).toEqual({ defect: true, reason: 'rephrase' });
  });
});
