/** `hearth learn`: the nightly learning job, now, on the hub's database; prints what it found. */
import { join } from 'node:path';
import type { HearthConfig } from '../config/config.js';
import { openDatabase } from '../store/db.js';
import { RewriteCache, rewriteSensitiveWords } from '../rewrite/cache.js';
import { runLearning } from '../learning/learn.js';

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
