/**
 * The sync service on SQLite: how many hub uploads it takes per second (fastify in process, 50 pairs
 * each), and how long aggregating, mining and signing a bundle takes as the fleet grows. These are the
 * numbers that say when the aggregation should move to PostgreSQL (and later to a distributed engine).
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createService } from '../sync-server/service.js';
import { newServiceKeys } from '../sync-server/sign.js';

export async function benchSync(): Promise<string> {
  const keys = newServiceKeys();
  const rows: string[] = [];
  for (const hubs of [200, 2000]) {
    const svc = createService({ dbPath: join(mkdtempSync(join(tmpdir(), 'hearth-svcbench-')), 'sync.db'), privateKey: keys.privateKey, k: 5, bundleTtlMs: 86_400_000,
      limits: { enrolsPerAddress: 1e9, uploadsPerHub: 1e9, requestsPerAddress: 1e9 } }); // one address plays the whole fleet
    // Every hub enrols its own key first (not timed); each upload is then signed and verified as in service.
    const fleet = [];
    for (let h = 0; h < hubs; h++) {
      const { privateKey, publicKey } = generateKeyPairSync('ed25519');
      const res = await svc.app.inject({ method: 'POST', url: '/v1/enroll', payload: { token: svc.issueToken(), publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') } });
      fleet.push({ hubId: (JSON.parse(res.body) as { hubId: string }).hubId, privateKey });
    }
    const t0 = performance.now();
    for (let h = 0; h < hubs; h++) {
      // Hubs share most fixes (a popular set) and have a few of their own.
      const pairs = Array.from({ length: 50 }, (_, i) => (i < 40 ? { source: `common request ${(h + i) % 400}`, target: `turn on device ${(h + i) % 400}`, count: 1 + (i % 5) }
        : { source: `own request ${h}-${i}`, target: `turn off device ${h}-${i}`, count: 1 }));
      const body = JSON.stringify({ atMs: Date.now(), pairs });
      const res = await svc.app.inject({ method: 'POST', url: '/v1/upload', payload: body,
        headers: { 'content-type': 'application/json', 'x-hearth-hub': fleet[h]!.hubId, 'x-hearth-signature': sign(null, Buffer.from(body), fleet[h]!.privateKey).toString('base64') } });
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
