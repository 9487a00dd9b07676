/** `hearth sync` pulls the global rewrite bundle now; `--status` says which one is held; `--rollback` goes back to the one before. */
import { join } from 'node:path';
import type { HearthConfig } from '../config/config.js';
import { openDatabase } from '../store/db.js';
import { RewriteCache, rewriteSensitiveWords } from '../rewrite/cache.js';
import { heldState, publicKeyFrom, rollbackBundle } from '../sync/bundle.js';
import { HearthError } from '../types/errors.js';
import { syncOnce } from '../sync/client.js';

export async function syncCommand(config: HearthConfig, status: boolean, out: (s: string) => void, rollback = false): Promise<number> {
  const { db } = openDatabase(join(config.dataDir, 'hearth.db'));
  try {
    const describe = (s: ReturnType<typeof heldState>) => (s
      ? `bundle v${s.version} (sha256 ${s.sha256.slice(0, 12)}...), expires ${new Date(s.expiresAtMs).toISOString()}${s.expiresAtMs < Date.now() ? ': EXPIRED, global rewrites are not used' : ''}`
      : 'no bundle held');
    if (status) {
      out(`sync ${config.sync.url ? `from ${config.sync.url}` : 'is off (sync.url not set)'}; ${describe(heldState(db))}`);
      return 0;
    }
    const cache = new RewriteCache(db, { ...config.rewrite, sensitiveWords: rewriteSensitiveWords(config.policy.sensitiveNames) });
    if (rollback) {
      if (!config.sync.publicKey) throw new HearthError('sync-not-configured', 'config', 'Set sync.publicKey to check the bundle rolled back to.');
      out(`rolled back to ${describe(rollbackBundle(db, cache, publicKeyFrom(config.sync.publicKey)))}`);
      return 0;
    }
    const r = await syncOnce(db, cache, config.sync, Date.now());
    out(r.kind === 'applied' ? `applied ${describe(r.state)}` : `unchanged: ${describe(r.state)}`);
    return 0;
  } finally {
    db.close();
  }
}
