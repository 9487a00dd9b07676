/**
 * What a hub shares with the sync service, only after the household opted in (sync.upload, off by
 * default): its personal rewrites as normalised pairs with counts, under an anonymous id kept in the
 * database (never the hub's name), signed by the hub's own Ed25519 key, enrolled once with an
 * operator-issued token (sync.enrollToken), so that the service counts real hubs. A pair that names one of this home's own devices is not sent unless
 * the name is generic (made of room and kind words only, like "kitchen light"): "big screen" stays home.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import type { Db } from '../store/db.js';
import { HubMeta } from '../store/db.js';
import { HearthError } from '../types/errors.js';
import { normalize } from '../nlu/normalize.js';
import { DEVICE_KIND_WORDS, CARRIER_WORDS } from '../nlu/vocabulary.js';
import type { RewriteCache } from '../rewrite/cache.js';

export interface UploadPair { readonly source: string; readonly target: string; readonly count: number }

/** Pairs fit to leave the home: personal rewrites that name no specific device of it. */
export function shareablePairs(cache: RewriteCache, deviceNames: readonly string[], areas: readonly string[]): UploadPair[] {
  const generic = new Set([...Object.keys(DEVICE_KIND_WORDS), ...Object.keys(DEVICE_KIND_WORDS).map((k) => `${k}s`), ...CARRIER_WORDS, ...areas.flatMap((a) => normalize(a).split(' '))]);
  const specific = deviceNames.map(normalize).filter((n) => n.split(' ').some((w) => !generic.has(w)));
  const names = (t: string) => specific.some((n) => ` ${t} `.includes(` ${n} `));
  return cache.list('personal').filter((r) => !names(r.source) && !names(r.target)).map((r) => ({ source: r.source, target: r.target, count: r.support }));
}

/** This hub's upload key and, once enrolled, the id the service knows it by (hub_meta; never the hub's name). */
export interface SyncIdentity { readonly hubId: string | undefined; readonly publicKeyB64: string; sign(body: string): string }

export function syncIdentity(db: Db): SyncIdentity {
  const meta = new HubMeta(db);
  let pem = meta.get('sync-key');
  if (!pem) {
    pem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    meta.set('sync-key', pem);
  }
  const key = createPrivateKey(pem);
  return {
    hubId: meta.get('sync-enrolled-id'),
    publicKeyB64: createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64'),
    sign: (body) => sign(null, Buffer.from(body, 'utf8'), key).toString('base64'),
  };
}

async function post(url: string, path: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<Response> {
  try {
    return await fetch(`${url.replace(/\/+$/, '')}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new HearthError('sync-unreachable', 'environment', `The sync service at ${url} cannot be reached (${(err as Error).message}).`);
  }
}

/** Enrols this hub's key with the operator's token (once); returns the id the service gave it. */
export async function enrol(db: Db, url: string, token: string | null, timeoutMs: number): Promise<string> {
  const id = syncIdentity(db);
  if (id.hubId) return id.hubId;
  if (!token) throw new HearthError('sync-not-enrolled', 'config', 'To share learned rewrites, set sync.enrollToken to the token the sync service\'s operator issued for this hub.');
  const res = await post(url, '/v1/enroll', JSON.stringify({ token, publicKey: id.publicKeyB64 }), {}, timeoutMs);
  if (!res.ok) throw new HearthError('sync-enroll-refused', 'config', `The sync service refused to enrol this hub (${res.status}: ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? 'no reason'}). Ask its operator for a new sync.enrollToken.`);
  const hubId = ((await res.json()) as { hubId: string }).hubId;
  new HubMeta(db).set('sync-enrolled-id', hubId);
  return hubId;
}

export async function upload(db: Db, url: string, pairs: readonly UploadPair[], atMs: number, timeoutMs: number): Promise<number> {
  const id = syncIdentity(db);
  if (!id.hubId) throw new HearthError('sync-not-enrolled', 'config', 'This hub is not enrolled with the sync service yet.');
  const body = JSON.stringify({ atMs, pairs });
  const res = await post(url, '/v1/upload', body, { 'x-hearth-hub': id.hubId, 'x-hearth-signature': id.sign(body) }, timeoutMs);
  if (!res.ok) throw new HearthError('sync-http', 'environment', `The sync service refused the upload (${res.status}).`);
  return ((await res.json()) as { accepted: number }).accepted;
}
