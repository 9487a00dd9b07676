/**
 * What a hub shares with the sync service, only after the household opted in (sync.upload, off by
 * default): its personal rewrites as normalised pairs with counts, under an anonymous id kept in the
 * database (never the hub's name). A pair that names one of this home's own devices is not sent unless
 * the name is generic (made of room and kind words only, like "kitchen light"): "big screen" stays home.
 */
import { randomBytes } from 'node:crypto';
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

export function anonymousHubId(db: Db): string {
  const meta = new HubMeta(db);
  let id = meta.get('sync-hub-id');
  if (!id) { id = randomBytes(16).toString('hex'); meta.set('sync-hub-id', id); }
  return id;
}

export async function upload(url: string, hubId: string, pairs: readonly UploadPair[], timeoutMs: number): Promise<number> {
  let res: Response;
  try {
    res = await fetch(`${url.replace(/\/+$/, '')}/v1/upload`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hubId, pairs }), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new HearthError('sync-unreachable', 'environment', `The sync service at ${url} cannot be reached (${(err as Error).message}).`);
  }
  if (!res.ok) throw new HearthError('sync-http', 'environment', `The sync service refused the upload (${res.status}).`);
  return ((await res.json()) as { accepted: number }).accepted;
}
