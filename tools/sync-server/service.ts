/**
 * The reference sync service: hubs that opted in upload aggregates (normalised request -> rewrite
 * pairs with counts, nothing else), signed by a key enrolled with an operator-issued token (trust.ts);
 * enrolment and uploads are rate-limited per address and per hub; the service keeps one upload per hub, aggregates them in plain SQL
 * (the same statement runs on PostgreSQL), publishes a pair only when at least K distinct hubs reported
 * it, mines the survivors with the hub's own absorbing Markov chain code, and serves the result as a
 * signed, versioned bundle (`GET /v1/bundle`, ETag and If-None-Match).
 *
 *   node dist/tools/sync-server/service.js --db sync.db --key service-key.pem [--port 8443] [--k 5]
 *   node dist/tools/sync-server/service.js --db sync.db --issue-token     # one enrolment token for one hub
 */
import { holdsSecret } from '../../runtime/policy/secret.js';
import Fastify, { type FastifyInstance } from 'fastify';
import Database from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { mineRewrites, type ChainTurn } from '../../runtime/learning/markov.js';
import { normalize } from '../../runtime/nlu/normalize.js';
import { signBundle, type SignedBundle } from './sign.js';
import { RateLimit } from '../../runtime/rate-limit.js';
import { Trust, TRUST_SCHEMA } from './trust.js';

/** Enrolments per address per hour, uploads per hub per hour, requests per address per hour. */
const ENROLS_PER_ADDRESS_HOUR = 5;
const UPLOADS_PER_HUB_HOUR = 12;
const REQUESTS_PER_ADDRESS_HOUR = 600;

export interface ServiceOptions {
  readonly dbPath: string;
  readonly privateKey: KeyObject;
  /** Distinct hubs that must report a pair before it can be published. */
  readonly k: number;
  readonly bundleTtlMs: number;
  readonly nowMs?: () => number;
  /** Per hour: enrolments per address, uploads per hub, requests per address (defaults below; a benchmark raises them). */
  readonly limits?: { readonly enrolsPerAddress: number; readonly uploadsPerHub: number; readonly requestsPerAddress: number };
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS uploads (hub_id TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL, count INTEGER NOT NULL, received_at_ms INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS uploads_hub ON uploads(hub_id);
  CREATE TABLE IF NOT EXISTS bundles (version INTEGER PRIMARY KEY, manifest TEXT NOT NULL, signature TEXT NOT NULL, body BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS settings (k INTEGER NOT NULL);
`;

/**
 * The aggregation, plain SQL without placeholders (K is read from the settings table), so the same
 * text runs on SQLite and PostgreSQL: pairs reported by at least K distinct hubs, with their total count.
 */
export const AGGREGATE_SQL = `SELECT source, target, COUNT(DISTINCT hub_id) AS hubs, SUM(count) AS n
  FROM uploads GROUP BY source, target HAVING COUNT(DISTINCT hub_id) >= (SELECT MAX(k) FROM settings)`;

export function createService(o: ServiceOptions): { app: FastifyInstance; publish(): SignedBundle | undefined; issueToken(): string; close(): void } {
  const db = new Database(o.dbPath);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA);
  db.exec(TRUST_SCHEMA);
  db.transaction(() => { db.prepare('DELETE FROM settings').run(); db.prepare('INSERT INTO settings (k) VALUES (?)').run(o.k); })();
  const now = o.nowMs ?? Date.now;
  const trust = new Trust(db, now);
  const app = Fastify({ bodyLimit: 1_000_000 });
  // The upload's signature is over its exact bytes: keep them.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    try { (req as { rawBody?: string }).rawBody = body as string; done(null, JSON.parse(body as string)); } catch (err) { done(err as Error, undefined); }
  });
  const HOUR_MS = 3_600_000;
  const l = o.limits ?? { enrolsPerAddress: ENROLS_PER_ADDRESS_HOUR, uploadsPerHub: UPLOADS_PER_HUB_HOUR, requestsPerAddress: REQUESTS_PER_ADDRESS_HOUR };
  const perAddress = new RateLimit(l.requestsPerAddress, HOUR_MS), enrolsPerAddress = new RateLimit(l.enrolsPerAddress, HOUR_MS), uploadsPerHub = new RateLimit(l.uploadsPerHub, HOUR_MS, 1_000_000);
  app.addHook('onRequest', async (req, reply) => { if (!perAddress.allow(req.ip, now())) return reply.code(429).send({ error: 'too many requests from this address' }); });

  app.post('/v1/enroll', async (req, reply) => {
    if (!enrolsPerAddress.allow(req.ip, now())) return reply.code(429).send({ error: 'too many enrolments from this address' });
    const b = req.body as { token?: unknown; publicKey?: unknown } | null;
    const v = trust.enrol(b?.token, b?.publicKey);
    return v.ok ? { hubId: v.hubId } : reply.code(v.status).send({ error: v.error });
  });

  app.post('/v1/upload', async (req, reply) => {
    const b = req.body as { atMs?: unknown; pairs?: unknown } | null;
    const v = trust.checkUpload(req.headers['x-hearth-hub'], req.headers['x-hearth-signature'], (req as { rawBody?: string }).rawBody ?? '', b?.atMs);
    if (!v.ok) return reply.code(v.status).send({ error: v.error });
    if (!uploadsPerHub.allow(v.hubId, now())) return reply.code(429).send({ error: 'too many uploads from this hub' });
    const hubId = v.hubId;
    const pairs = Array.isArray(b?.pairs) ? b.pairs as { source?: unknown; target?: unknown; count?: unknown }[] : undefined;
    if (!pairs || pairs.length > 10_000) return reply.code(400).send({ error: 'at most 10,000 pairs are required' });
    // A pair holding a PIN-shaped run of digits is never taken: no hub would apply a bundle with one (rewrite-secret).
    const rows = pairs.flatMap((p) => typeof p.source === 'string' && typeof p.target === 'string' && typeof p.count === 'number' && p.source.length <= 200 && p.target.length <= 200
      && !holdsSecret(p.source, null) && !holdsSecret(p.target, null)
      ? [{ source: normalize(p.source), target: normalize(p.target), count: Math.max(1, Math.min(1000, Math.round(p.count))) }] : []);
    db.transaction(() => {
      db.prepare('DELETE FROM uploads WHERE hub_id = ?').run(hubId); // one upload per hub: its latest view replaces the old
      const ins = db.prepare('INSERT INTO uploads (hub_id, source, target, count, received_at_ms) VALUES (?, ?, ?, ?, ?)');
      for (const r of rows) ins.run(hubId, r.source, r.target, r.count, now());
    })();
    return { accepted: rows.length };
  });

  app.get('/v1/bundle', async (req, reply) => {
    const latest = db.prepare<[], { version: number; manifest: string; signature: string; body: Buffer }>('SELECT * FROM bundles ORDER BY version DESC LIMIT 1').get();
    if (!latest) return reply.code(404).send({ error: 'no bundle published yet' });
    const m = JSON.parse(latest.manifest) as { version: number; sha256: string };
    const etag = `"${m.version}-${m.sha256}"`;
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    return reply.header('etag', etag).send({ manifest: latest.manifest, signature: latest.signature, body: latest.body.toString('base64') });
  });

  /** Aggregates, mines and signs the next bundle (when something changed). */
  const publish = (): SignedBundle | undefined => {
    const pairs = db.prepare<[], { source: string; target: string; hubs: number; n: number }>(AGGREGATE_SQL).all();
    // Each reported count is a rephrase chain that ended in the target: the hub's miner weighs them.
    const chains: ChainTurn[][] = pairs.flatMap((p) => Array.from({ length: p.n }, () => [{ text: p.source, success: false }, { text: p.target, success: true }]));
    const mined = mineRewrites(chains, { minProbability: 0.5, minSupport: 1 });
    const hubsOf = new Map(pairs.map((p) => [`${p.source}\n${p.target}`, p.hubs]));
    const rewrites = mined.map((m) => ({ source: m.source, target: m.target, support: hubsOf.get(`${m.source}\n${m.target}`) ?? 0, probability: m.probability }));
    const last = db.prepare<[], { version: number; body: Buffer }>('SELECT version, body FROM bundles ORDER BY version DESC LIMIT 1').get();
    const version = (last?.version ?? 0) + 1;
    const signed = signBundle(rewrites, version, now(), now() + o.bundleTtlMs, o.privateKey);
    if (last && Buffer.from(signed.body).equals(last.body)) return undefined;
    db.prepare('INSERT INTO bundles (version, manifest, signature, body) VALUES (?, ?, ?, ?)').run(version, signed.manifest, signed.signature, Buffer.from(signed.body));
    return signed;
  };

  return { app, publish, issueToken: () => trust.issueToken(), close: () => { void app.close(); db.close(); } };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { readFileSync, writeFileSync, existsSync } = await import('node:fs');
  const { createPrivateKey } = await import('node:crypto');
  const { newServiceKeys } = await import('./sign.js');
  const arg = (k: string, d?: string) => { const i = process.argv.indexOf(`--${k}`); return i > 0 ? process.argv[i + 1] : d; };
  const keyFile = arg('key', 'service-key.pem')!;
  if (process.argv.includes('--issue-token')) {
    const d = new Database(arg('db', 'sync.db')!);
    d.exec(TRUST_SCHEMA);
    process.stdout.write(`${new Trust(d, Date.now).issueToken()}\nput it in one hub's config as sync.enrollToken (it works once)\n`);
    d.close();
    process.exit(0);
  }
  if (process.argv.includes('--keygen')) {
    if (existsSync(keyFile)) { process.stderr.write(`${keyFile} exists; move it away first (rotation keeps the old key until hubs have the new public key)\n`); process.exit(2); }
    const k = newServiceKeys();
    writeFileSync(keyFile, k.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    process.stdout.write(`private key written to ${keyFile}\nput this in every hub's config as sync.publicKey:\n${k.publicKeyB64}\n`);
    process.exit(0);
  }
  const svc = createService({ dbPath: arg('db', 'sync.db')!, privateKey: createPrivateKey(readFileSync(keyFile)), k: Number(arg('k', '5')), bundleTtlMs: Number(arg('ttl-days', '7')) * 86_400_000 });
  await svc.app.listen({ port: Number(arg('port', '8443')), host: arg('host', '127.0.0.1')! });
  const everyMs = Number(arg('publish-minutes', '60')) * 60_000;
  setInterval(() => { const b = svc.publish(); if (b) process.stdout.write(`published ${b.manifest}\n`); }, everyMs);
  process.stdout.write(`sync service on ${arg('host', '127.0.0.1')}:${arg('port', '8443')}, K = ${arg('k', '5')}\n`);
}
