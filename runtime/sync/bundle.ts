/**
 * Global rewrite bundles from the sync service, checked before anything is believed: the manifest
 * (version, created, expires, size, sha256, count) must carry a valid Ed25519 signature by the
 * service's pinned key; the body must be exactly the one the manifest describes; the version must be
 * newer than the one held (no rollback, no replay); it must not have expired; and every rewrite in it
 * must pass the cache's rules (no escalation to a sensitive action). Only then is it applied, in one
 * SQLite transaction that also records the version and hash and keeps the previous bundle.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { Db } from '../store/db.js';
import { HearthError } from '../types/errors.js';
import type { RewriteCache } from '../rewrite/cache.js';

export interface BundleManifest {
  readonly version: number;
  readonly created: string;
  readonly expires: string;
  /** Body size in bytes. */
  readonly size: number;
  /** sha256 of the body, hex. */
  readonly sha256: string;
  /** Rewrites in the body. */
  readonly count: number;
}

export interface BundleRewrite { readonly source: string; readonly target: string; readonly support: number; readonly probability: number }

export interface SyncState {
  readonly version: number;
  readonly sha256: string;
  readonly expiresAtMs: number;
}

const reject = (why: string, code = 'sync-bundle-rejected') => new HearthError(code, 'input', `Sync bundle rejected: ${why}. The active bundle is unchanged.`);

/** The pinned public key: PEM, or base64 SPKI DER as `hearth sync --keygen` prints it. */
export function publicKeyFrom(text: string): KeyObject {
  try {
    return text.includes('BEGIN') ? createPublicKey(text) : createPublicKey({ key: Buffer.from(text, 'base64'), format: 'der', type: 'spki' });
  } catch (err) {
    throw new HearthError('sync-key-invalid', 'config', `sync.publicKey is not an Ed25519 public key (${(err as Error).message}).`);
  }
}

/** Checks a manifest, its signature and its body; returns the rewrites. Throws `sync-bundle-rejected` naming why. */
export function verifyBundle(manifestText: string, signatureB64: string, body: Uint8Array, key: KeyObject, held: SyncState | undefined, nowMs: number): { manifest: BundleManifest; rewrites: BundleRewrite[] } {
  let sig: Buffer;
  try { sig = Buffer.from(signatureB64, 'base64'); } catch { throw reject('the signature is not base64'); }
  let ok = false;
  try { ok = sig.length === 64 && verify(null, Buffer.from(manifestText, 'utf8'), key, sig); } catch { ok = false; }
  if (!ok) throw reject('the manifest signature does not verify with the pinned key');
  let m: BundleManifest;
  try { m = JSON.parse(manifestText) as BundleManifest; } catch { throw reject('the manifest is not JSON'); }
  const expires = Date.parse(m.expires);
  if (!Number.isSafeInteger(m.version) || m.version < 1 || !Number.isFinite(expires) || !Number.isFinite(Date.parse(m.created))
    || !Number.isSafeInteger(m.size) || !Number.isSafeInteger(m.count) || typeof m.sha256 !== 'string') throw reject('the manifest is missing fields');
  if (held && m.version <= held.version) throw reject(`version ${m.version} is not newer than the held ${held.version} (rollback or replay)`, 'sync-bundle-old');
  if (expires <= nowMs) throw reject(`it expired at ${m.expires}`, 'sync-bundle-expired');
  if (body.length !== m.size) throw reject(`the body is ${body.length} bytes, the manifest says ${m.size} (not the body of this manifest)`);
  if (createHash('sha256').update(body).digest('hex') !== m.sha256) throw reject('the body hash does not match the manifest (not the body of this manifest)');
  const rewrites: BundleRewrite[] = [];
  const lines = Buffer.from(body).toString('utf8').split('\n').filter((l) => l.trim());
  for (const [i, l] of lines.entries()) {
    let r: BundleRewrite;
    try { r = JSON.parse(l) as BundleRewrite; } catch { throw reject(`body line ${i + 1} is not JSON`); }
    if (typeof r.source !== 'string' || typeof r.target !== 'string' || typeof r.support !== 'number' || typeof r.probability !== 'number') throw reject(`body line ${i + 1} is not a rewrite`);
    rewrites.push(r);
  }
  if (rewrites.length !== m.count) throw reject(`the body holds ${rewrites.length} rewrites, the manifest says ${m.count}`);
  return { manifest: m, rewrites };
}

export function heldState(db: Db): SyncState | undefined {
  const row = db.prepare<[], { version: number; sha256: string; expires_at_ms: number }>('SELECT version, sha256, expires_at_ms FROM sync_bundles WHERE active = 1').get();
  return row ? { version: row.version, sha256: row.sha256, expiresAtMs: row.expires_at_ms } : undefined;
}

/**
 * Applies a verified bundle: the global layer, the bundle's record and the active flag change in
 * one transaction, so a crash leaves the old bundle or the new one, never a mix. The previous bundle
 * stays stored to roll back to; older ones are dropped.
 */
export function applyBundle(db: Db, cache: RewriteCache, manifestText: string, signatureB64: string, body: Uint8Array, key: KeyObject, nowMs: number): SyncState {
  // The version check is against every bundle this hub has held, rolled-back ones included: a bad bundle rolled
  // back from is never taken again, and nothing older than what was seen can come back.
  const seen = db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM sync_bundles').get()?.v;
  const held = heldState(db);
  const { manifest, rewrites } = verifyBundle(manifestText, signatureB64, body, key, seen ? { version: seen, sha256: held?.sha256 ?? '', expiresAtMs: held?.expiresAtMs ?? 0 } : undefined, nowMs);
  const expiresAtMs = Date.parse(manifest.expires);
  try {
    db.transaction(() => {
      cache.replaceLayer('global', rewrites); // throws on a sensitive escalation: the whole transaction rolls back
      db.prepare('UPDATE sync_bundles SET active = 0 WHERE active = 1').run();
      db.prepare('INSERT INTO sync_bundles (version, sha256, expires_at_ms, manifest, signature, body, applied_at_ms, active) VALUES (?, ?, ?, ?, ?, ?, ?, 1)')
        .run(manifest.version, manifest.sha256, expiresAtMs, manifestText, signatureB64, Buffer.from(body), nowMs);
      db.prepare('DELETE FROM sync_bundles WHERE version NOT IN (SELECT version FROM sync_bundles ORDER BY version DESC LIMIT 3)').run();
    })();
  } catch (err) {
    if (err instanceof HearthError && err.code === 'rewrite-sensitive') throw reject(`${err.message.replace(/;.*$/, '')} (a synced bundle may not reach a sensitive action)`);
    throw err;
  } finally {
    cache.reload(); // the memory follows whatever the transaction left in SQLite
    cache.globalExpiresAtMs = heldState(db)?.expiresAtMs;
  }
  return { version: manifest.version, sha256: manifest.sha256, expiresAtMs };
}

/**
 * Rolls back to the bundle held before the active one (an operator's undo after a bad bundle): in one
 * transaction the previous bundle becomes active again and its rewrites replace the global layer. The
 * bundle rolled back from is kept, marked, so it is never applied again; a newer one may come.
 */
export function rollbackBundle(db: Db, cache: RewriteCache, key: KeyObject): SyncState {
  const rows = db.prepare<[], { version: number; manifest: string; signature: string; body: Buffer; active: number; rolled_back: number }>('SELECT version, manifest, signature, body, active, rolled_back FROM sync_bundles ORDER BY version DESC').all();
  const active = rows.find((r) => r.active === 1);
  const previous = rows.find((r) => active && r.version < active.version && r.rolled_back === 0);
  if (!active || !previous) throw new HearthError('sync-no-previous', 'input', 'There is no earlier bundle to roll back to.');
  // Checked again: what is stored was verified when it came, but the database is not the signer.
  const { rewrites } = verifyBundle(previous.manifest, previous.signature, previous.body, key, undefined, Date.parse((JSON.parse(previous.manifest) as BundleManifest).created));
  try {
    db.transaction(() => {
      cache.replaceLayer('global', rewrites);
      db.prepare('UPDATE sync_bundles SET active = 0, rolled_back = 1 WHERE version = ?').run(active.version);
      db.prepare('UPDATE sync_bundles SET active = 1 WHERE version = ?').run(previous.version);
    })();
  } finally {
    cache.reload();
    cache.globalExpiresAtMs = heldState(db)?.expiresAtMs;
  }
  return heldState(db)!;
}
