/**
 * The hub's sync client: pulls the service's latest global rewrite bundle (`GET <url>/v1/bundle`,
 * JSON {manifest, signature, body: base64}) with If-None-Match, never reading more than
 * `maxBytes` nor waiting longer than `timeoutMs`, and hands it to the verifier. Runs on a jittered
 * schedule with backoff after failures; `hearth sync` runs it now. Nothing is sent to the service
 * here: uploads are separate and need the household's opt-in.
 */
import type { Db } from '../store/db.js';
import type { Logger } from '../log.js';
import { HearthError } from '../types/errors.js';
import type { RewriteCache } from '../rewrite/cache.js';
import { applyBundle, heldState, publicKeyFrom, type SyncState } from './bundle.js';

export interface SyncSettings {
  readonly url: string | null;
  readonly publicKey: string | null;
  readonly intervalS: number;
  readonly maxBytes: number;
  readonly timeoutMs: number;
}

export type SyncOutcome = { readonly kind: 'applied'; readonly state: SyncState } | { readonly kind: 'unchanged'; readonly state: SyncState | undefined };

/** One pull: unchanged (304), or a verified bundle applied. Throws a coded HearthError otherwise; the active bundle stays. */
export async function syncOnce(db: Db, cache: RewriteCache, s: SyncSettings, nowMs: number): Promise<SyncOutcome> {
  if (!s.url || !s.publicKey) throw new HearthError('sync-not-configured', 'config', 'Set sync.url and sync.publicKey (the service\'s Ed25519 public key) to sync global rewrites.');
  const key = publicKeyFrom(s.publicKey);
  const held = heldState(db);
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), s.timeoutMs);
  try {
    let res: Response;
    try {
      res = await fetch(`${s.url.replace(/\/+$/, '')}/v1/bundle`, { signal: ctrl.signal, headers: held ? { 'If-None-Match': `"${held.version}-${held.sha256}"` } : {} });
    } catch (err) {
      throw new HearthError(ctrl.signal.aborted ? 'sync-timeout' : 'sync-unreachable', 'environment', `The sync service at ${s.url} ${ctrl.signal.aborted ? `did not answer within ${s.timeoutMs} ms` : `cannot be reached (${(err as Error).message})`}.`);
    }
    if (res.status === 304) return { kind: 'unchanged', state: held };
    if (res.status !== 200 || !res.body) throw new HearthError('sync-http', 'environment', `The sync service answered ${res.status}.`);
    const text = await readCapped(res.body, s.maxBytes, ctrl, s.timeoutMs);
    let doc: { manifest?: unknown; signature?: unknown; body?: unknown };
    try { doc = JSON.parse(text) as typeof doc; } catch { throw new HearthError('sync-bundle-rejected', 'input', 'Sync bundle rejected: the response is not JSON. The active bundle is unchanged.'); }
    if (typeof doc.manifest !== 'string' || typeof doc.signature !== 'string' || typeof doc.body !== 'string') {
      throw new HearthError('sync-bundle-rejected', 'input', 'Sync bundle rejected: manifest, signature and body are required. The active bundle is unchanged.');
    }
    return { kind: 'applied', state: applyBundle(db, cache, doc.manifest, doc.signature, Buffer.from(doc.body, 'base64'), key, nowMs) };
  } finally {
    clearTimeout(timer);
  }
}

/** The body, up to `max` bytes: an endless or slow body is cut off, not waited for. */
async function readCapped(body: ReadableStream<Uint8Array>, max: number, ctrl: AbortController, timeoutMs: number): Promise<string> {
  const reader = body.getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      n += value.length;
      if (n > max) throw new HearthError('sync-too-large', 'input', `Sync bundle rejected: larger than sync.maxBytes (${max}). The active bundle is unchanged.`);
      parts.push(value);
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    if (err instanceof HearthError) throw err;
    throw new HearthError(ctrl.signal.aborted ? 'sync-timeout' : 'sync-unreachable', 'environment', `The sync download ${ctrl.signal.aborted ? `took longer than ${timeoutMs} ms` : `failed (${(err as Error).message})`}. The active bundle is unchanged.`);
  }
  return Buffer.concat(parts).toString('utf8');
}

/** The schedule: every intervalS with +-20% jitter (hubs do not all call at once), doubling after failures up to a day. */
export class SyncScheduler {
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly run: () => Promise<unknown>, private readonly intervalS: number, private readonly log: Logger, private readonly random: () => number = Math.random) {}

  start(): void {
    this.schedule(this.intervalS * 1000 * 0.1 * this.random()); // the first pull soon after start, spread out
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  /** The delay after a success or a failure (exported for the test). */
  nextDelayMs(failed: boolean): number {
    this.failures = failed ? this.failures + 1 : 0;
    const base = Math.min(86_400_000, this.intervalS * 1000 * 2 ** Math.min(this.failures, 10));
    return base * (0.8 + 0.4 * this.random());
  }

  private schedule(ms: number): void {
    this.timer = setTimeout(() => {
      this.run().then(() => this.schedule(this.nextDelayMs(false)), (err: Error) => {
        this.log.warn({ code: (err as HearthError).code ?? 'sync-failed' }, err.message);
        this.schedule(this.nextDelayMs(true));
      });
    }, ms);
    this.timer.unref();
  }
}
