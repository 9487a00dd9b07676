/** The sync client against a real HTTP server on loopback: a bundle, a 304, an endless body, a slow one, a replay. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../runtime/store/db.js';
import { RewriteCache } from '../../runtime/rewrite/cache.js';
import { heldState } from '../../runtime/sync/bundle.js';
import { SyncScheduler, syncOnce } from '../../runtime/sync/client.js';
import { newServiceKeys, signBundle, type SignedBundle } from '../../tools/sync-server/sign.js';
import { silentLogger } from '../../runtime/log.js';

const NOW = Date.now();
const service = newServiceKeys();
let mode: 'bundle' | 'endless' | 'slow' = 'bundle';
let current: SignedBundle = signBundle([{ source: 'telly on', target: 'turn on the tv', support: 9, probability: 1 }], 1, NOW, NOW + 86_400_000, service.privateKey);
let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (mode === 'endless') { res.writeHead(200); const t = setInterval(() => { if (!res.write(Buffer.alloc(65536, 32))) return; }, 1); res.on('close', () => clearInterval(t)); return; }
    if (mode === 'slow') { res.writeHead(200); const t = setInterval(() => res.write(' '), 500); res.on('close', () => clearInterval(t)); return; }
    const etag = `"${JSON.parse(current.manifest).version}-${JSON.parse(current.manifest).sha256}"`;
    if (req.headers['if-none-match'] === etag) { res.writeHead(304); res.end(); return; }
    res.writeHead(200, { 'content-type': 'application/json', etag });
    res.end(JSON.stringify({ manifest: current.manifest, signature: current.signature, body: Buffer.from(current.body).toString('base64') }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => { server.closeAllConnections(); server.close(); });

function hub() {
  const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'hearth-syncc-')), 'hearth.db'));
  return { db, cache: new RewriteCache(db, { minSimilarity: 0.8, minPersonalSupport: 3, maxPosting: 5000, sensitiveWords: [] }) };
}
const settings = (o: Partial<{ maxBytes: number; timeoutMs: number }> = {}) => ({ url, publicKey: service.publicKeyB64, intervalS: 3600, maxBytes: 100_000, timeoutMs: 2000, ...o });

describe('sync client', () => {
  it('pulls and applies a bundle, then hears 304 while nothing changed', async () => {
    mode = 'bundle';
    const { db, cache } = hub();
    expect((await syncOnce(db, cache, settings(), NOW)).kind).toBe('applied');
    expect(cache.lookup('telly on', () => true, false)?.rewrite.layer).toBe('global');
    expect((await syncOnce(db, cache, settings(), NOW)).kind).toBe('unchanged');
  });

  it('cuts off an endless body at maxBytes and a slow one at the timeout, keeping the active bundle', async () => {
    const { db, cache } = hub();
    mode = 'bundle';
    await syncOnce(db, cache, settings(), NOW);
    const before = JSON.stringify(heldState(db));
    mode = 'endless';
    current = signBundle([], 2, NOW, NOW + 86_400_000, service.privateKey); // so If-None-Match does not short-cut
    await expect(syncOnce(db, cache, settings(), NOW)).rejects.toMatchObject({ code: 'sync-too-large' });
    mode = 'slow';
    const t0 = Date.now();
    await expect(syncOnce(db, cache, settings({ timeoutMs: 1200 }), NOW)).rejects.toMatchObject({ code: 'sync-timeout' });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(JSON.stringify(heldState(db))).toBe(before);
    expect(cache.list('global')).toHaveLength(1);
  }, 15000);

  it('names what is missing when sync is not configured, and says when the service is away', async () => {
    const { db, cache } = hub();
    await expect(syncOnce(db, cache, { ...settings(), url: null }, NOW)).rejects.toMatchObject({ code: 'sync-not-configured' });
    await expect(syncOnce(db, cache, { ...settings(), url: 'http://127.0.0.1:1' }, NOW)).rejects.toMatchObject({ code: 'sync-unreachable' });
  });

  it('backs off after failures, with jitter, up to a day', () => {
    const s = new SyncScheduler(async () => undefined, 3600, silentLogger, () => 0.5);
    expect(s.nextDelayMs(false)).toBe(3_600_000);
    expect(s.nextDelayMs(true)).toBe(7_200_000);
    expect(s.nextDelayMs(true)).toBe(14_400_000);
    for (let i = 0; i < 20; i++) s.nextDelayMs(true);
    expect(s.nextDelayMs(true)).toBe(86_400_000);
    expect(s.nextDelayMs(false)).toBe(3_600_000);
    const jittered = new SyncScheduler(async () => undefined, 3600, silentLogger, () => 0.99).nextDelayMs(false);
    expect(jittered).toBeGreaterThan(3_600_000);
    expect(jittered).toBeLessThanOrEqual(3_600_000 * 1.2);
  });
});
