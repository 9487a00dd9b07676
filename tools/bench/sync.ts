/**
 * The sync service on SQLite: how many hub uploads it takes per second (fastify in process, 50 pairs
 * each), and how long aggregating, mining and signing a bundle takes as the fleet grows. These are the
 * numbers that say when the aggregation should move to PostgreSQL (and later to a distributed engine).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService } from '../sync-server/service.js';
import { newServiceKeys } from '../sync-server/sign.js';

export async function benchSync(): Promise<string> {
  const keys = newServiceKeys();
  const rows: string[] = [];
  for (const hubs of [200, 2000]) {
    const svc = createService({ dbPath: join(mkdtempSync(join(tmpdir(), 'hearth-svcbench-')), 'sync.db'), privateKey: keys.privateKey, k: 5, bundleTtlMs: 86_400_000 });
    const t0 = performance.now();
    for (let h = 0; h < hubs; h++) {
      // Hubs share most fixes (a popular set) and have a few of their own.
      const pairs = Array.from({ length: 50 }, (_, i) => (i < 40 ? { source: `common request ${(h + i) % 400}`, target: `turn on device ${(h + i) % 400}`, count: 1 + (i % 5) }
        : { source: `own request ${h}-${i}`, target: `turn off device ${h}-${i}`, count: 1 }));
      const res = await svc.app.inject({ method: 'POST', url: '/v1/upload', payload: { hubId: `hub-${String(h).padStart(8, '0')}`, pairs } });
      if (res.statusCode !== 200) throw new Error(`upload failed: ${res.body}`);
    }
    const uploadS = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const bundle = svc.publish();
    const publishMs = performance.now() - t1;
    const count = bundle ? (JSON.parse(bundle.manifest) as { count: number }).count : 0;
    rows.push(`| ${hubs} hubs x 50 pairs (${(hubs * 50).toLocaleString('en')} rows) | ${(hubs / uploadS).toFixed(0)} uploads/s | ${publishMs.toFixed(0)} ms | ${count} |`);
    svc.close();
  }
  return `## Sync service (SQLite)

| fleet | uploads taken | aggregate + mine + sign a bundle | rewrites published (K = 5) |
|---|---|---|---|
${rows.join('\n')}

Uploads go through fastify in process (no network). A hub uploads about once per sync interval (6 hours by
default), so the upload rate is far from the limit for any fleet one SQLite file can hold; the bundle job is
what grows with the fleet, and it is the one to move to PostgreSQL (same SQL) first.
`;
}
