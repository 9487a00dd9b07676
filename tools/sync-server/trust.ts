/**
 * Who may upload to the sync service. The K rule (a pair is published only when K distinct hubs reported it) means
 * nothing if anyone can post under any hub id: one party posing as five hubs would put its rewrites into every home.
 * So a hub enrols once with an operator-issued, single-use token and its own Ed25519 public key; its id is derived
 * from that key, and every upload is signed by it, carries its time, and must be newer than the hub's last one.
 */
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import type Database from 'better-sqlite3';

export const TRUST_SCHEMA = `
  CREATE TABLE IF NOT EXISTS tokens (token_sha256 TEXT PRIMARY KEY, issued_at_ms INTEGER NOT NULL, used_by TEXT);
  CREATE TABLE IF NOT EXISTS hubs (hub_id TEXT PRIMARY KEY, public_key TEXT NOT NULL, enrolled_at_ms INTEGER NOT NULL, last_upload_at_ms INTEGER NOT NULL DEFAULT 0);
`;

/** An upload's time may differ from the service's clock by this much (a hub's clock is not exact). */
export const UPLOAD_CLOCK_SKEW_MS = 10 * 60_000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** The hub id a public key enrols as: the first 32 hex digits of its SHA-256. */
export const hubIdOf = (publicKeyB64: string) => sha256(publicKeyB64).slice(0, 32);

export type Verdict = { ok: true; hubId: string } | { ok: false; status: 400 | 401 | 403 | 409; error: string };

export class Trust {
  constructor(private readonly db: Database.Database, private readonly nowMs: () => number) {}

  /** A new single-use enrolment token; only its hash is kept. */
  issueToken(): string {
    const token = randomBytes(24).toString('base64url');
    this.db.prepare('INSERT INTO tokens (token_sha256, issued_at_ms) VALUES (?, ?)').run(sha256(token), this.nowMs());
    return token;
  }

  enrol(token: unknown, publicKeyB64: unknown): Verdict {
    if (typeof token !== 'string' || typeof publicKeyB64 !== 'string' || publicKeyB64.length > 200) return { ok: false, status: 400, error: 'token and publicKey (base64 SPKI Ed25519) are required' };
    try {
      if (createPublicKey({ key: Buffer.from(publicKeyB64, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
    } catch { return { ok: false, status: 400, error: 'publicKey is not a base64 SPKI Ed25519 key' }; }
    const hubId = hubIdOf(publicKeyB64);
    return this.db.transaction((): Verdict => {
      const t = this.db.prepare<[string], { used_by: string | null }>('SELECT used_by FROM tokens WHERE token_sha256 = ?').get(sha256(token));
      if (!t) return { ok: false, status: 403, error: 'unknown enrolment token' };
      if (t.used_by !== null) return { ok: false, status: 403, error: 'this enrolment token was used already' };
      if (this.db.prepare('SELECT 1 FROM hubs WHERE hub_id = ?').get(hubId)) return { ok: false, status: 409, error: 'this key is enrolled already' };
      this.db.prepare('UPDATE tokens SET used_by = ? WHERE token_sha256 = ?').run(hubId, sha256(token));
      this.db.prepare('INSERT INTO hubs (hub_id, public_key, enrolled_at_ms) VALUES (?, ?, ?)').run(hubId, publicKeyB64, this.nowMs());
      return { ok: true, hubId };
    })();
  }

  /** An upload's raw body, signed by an enrolled hub, with a time near now and newer than its last upload. */
  checkUpload(hubId: unknown, signatureB64: unknown, rawBody: string, atMs: unknown): Verdict {
    if (typeof hubId !== 'string' || typeof signatureB64 !== 'string' || typeof atMs !== 'number') return { ok: false, status: 401, error: 'x-hearth-hub, x-hearth-signature and atMs are required' };
    const hub = this.db.prepare<[string], { public_key: string; last_upload_at_ms: number }>('SELECT public_key, last_upload_at_ms FROM hubs WHERE hub_id = ?').get(hubId);
    if (!hub) return { ok: false, status: 401, error: 'hub not enrolled' };
    const key = createPublicKey({ key: Buffer.from(hub.public_key, 'base64'), format: 'der', type: 'spki' });
    if (!verify(null, Buffer.from(rawBody, 'utf8'), key, Buffer.from(signatureB64, 'base64'))) return { ok: false, status: 401, error: 'bad signature' };
    if (Math.abs(atMs - this.nowMs()) > UPLOAD_CLOCK_SKEW_MS || atMs <= hub.last_upload_at_ms) return { ok: false, status: 401, error: 'upload time too old, too new, or replayed' };
    this.db.prepare('UPDATE hubs SET last_upload_at_ms = ? WHERE hub_id = ?').run(atMs, hubId);
    return { ok: true, hubId };
  }
}
