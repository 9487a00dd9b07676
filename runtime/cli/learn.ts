/**
 * `hearth learn`: the nightly learning job, now, on the hub's database; prints what it found.
 * `hearth learn --voices [--rollback]`: adapts pocketsphinx to the household's kept turns, or undoes the last adaptation.
 */
import { join } from 'node:path';
import type { HearthConfig } from '../config/config.js';
import { openDatabase } from '../store/db.js';
import { RewriteCache, rewriteSensitiveWords } from '../rewrite/cache.js';
import { runLearning } from '../learning/learn.js';
import { VoiceTurns } from '../learning/voices/kept.js';
import { adaptPocketsphinx } from '../learning/voices/adapt.js';
import { Adaptations } from '../learning/voices/versions.js';
import { DEBIAN_MODEL } from '../asr/pocketsphinx.js';

export function learnCommand(config: HearthConfig, out: (s: string) => void): number {
  const { db } = openDatabase(join(config.dataDir, 'hearth.db'));
  try {
    const cache = new RewriteCache(db, { ...config.rewrite, sensitiveWords: rewriteSensitiveWords(config.policy.sensitiveNames) });
    const s = runLearning(db, cache, config.learning);
    out(`${s.turns} turns, ${s.defects} defects, ${s.chains} rephrase chains; ${s.mined} rewrites mined, ${s.added} stored as personal, ${s.refused} refused (sensitive)`);
    for (const r of cache.list('personal')) out(`  ${r.id}  "${r.source}" -> "${r.target}"  p ${r.probability.toFixed(2)}  support ${r.support}`);
    return 0;
  } finally {
    db.close();
  }
}

export async function learnVoicesCommand(config: HearthConfig, rollback: boolean, out: (s: string) => void): Promise<number> {
  if (rollback) {
    const r = new Adaptations(config.dataDir, 'pocketsphinx').rollback();
    out(r.from === undefined ? 'No adaptation is active; pocketsphinx runs as shipped.'
      : `Rolled back adaptation v${r.from}; now ${r.to === undefined ? 'pocketsphinx runs as shipped' : `v${r.to} is active`} (the hub takes it at its next start).`);
    return 0;
  }
  const { db } = openDatabase(join(config.dataDir, 'hearth.db'));
  try {
    const voices = new VoiceTurns(db, config.dataDir, config.learning);
    if (!config.learning.keepVoiceTurns && voices.count() === 0) out('learning.keepVoiceTurns is off, so no turns are kept to adapt to.');
    const r = await adaptPocketsphinx(voices, config.dataDir, DEBIAN_MODEL, config.learning);
    const check = (c: typeof r.before) => c ? `${c.correct}/${c.total} right, ${c.logLikelihoodPerFrame.toFixed(2)} log-likelihood per frame` : '';
    out(`${r.turns} kept turns worked, ${r.heldBack} held back for the check.`);
    if (r.before && r.candidates) out(`held back: now ${check(r.before)}; MLLR ${check(r.candidates.mllr)}; MAP ${check(r.candidates.map)}`);
    out(r.kept ? `Kept ${r.method!.toUpperCase()} as pocketsphinx adaptation v${r.version} (the hub takes it at its next start; undo: hearth learn --voices --rollback).` : `Not kept: ${r.why}.`);
    return 0;
  } finally {
    db.close();
  }
}
