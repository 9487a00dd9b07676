/**
 * Attacks on the hub's bundle handling: every tampered, replayed, rolled-back, mismatched, expired
 * or escalating bundle is rejected with the active bundle unchanged; a valid one applies atomically.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../runtime/store/db.js';
import { RewriteCache, rewriteSensitiveWords } from '../../runtime/rewrite/cache.js';
import { applyBundle, heldState, publicKeyFrom } from '../../runtime/sync/bundle.js';
import { newServiceKeys, signBundle } from '../../tools/sync-server/sign.js';
import { HearthError } from '../../runtime/types/errors.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 21);
const service = newServiceKeys();
const key = publicKeyFrom(service.publicKeyB64);
const rw = (n: number) => Array.from({ length: n }, (_, i) => ({ source: `put on the telly ${i}`, target: `turn on the tv ${i}`, support: 6, probability: 0.9 }));

function fresh() {
  const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'hearth-sync-')), 'hearth.db'));
  const cache = new RewriteCache(db, { minSimilarity: 0.8, minPersonalSupport: 3, maxPosting: 5000, sensitiveWords: rewriteSensitiveWords(['oven']) }, () => NOW);
  return { db, cache };
}
const snapshot = (db: ReturnType<typeof fresh>['db'], cache: RewriteCache) => JSON.stringify({ held: heldState(db), global: cache.list('global').map((r) => [r.source, r.target]) });

function prng(seed: number) {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x7fffffff; };
}

describe('sync bundles', () => {
  it('applies a valid bundle, version and hash with it', () => {
    const { db, cache } = fresh();
    const b = signBundle(rw(3), 1, NOW, NOW + 7 * DAY, service.privateKey);
    const state = applyBundle(db, cache, b.manifest, b.signature, b.body, key, NOW);
    expect(state.version).toBe(1);
    expect(cache.list('global')).toHaveLength(3);
    expect(heldState(db)).toEqual(state);
  });

  it('rejects 1,000 mutated bundles and manifests and keeps the active bundle', () => {
    const { db, cache } = fresh();
    const v1 = signBundle(rw(3), 1, NOW, NOW + 7 * DAY, service.privateKey);
    applyBundle(db, cache, v1.manifest, v1.signature, v1.body, key, NOW);
    const before = snapshot(db, cache);
    const good = signBundle(rw(4), 2, NOW, NOW + 7 * DAY, service.privateKey);
    const other = newServiceKeys();
    const r = prng(42);
    const flip = (bytes: Uint8Array) => { const out = Uint8Array.from(bytes); const i = Math.floor(r() * out.length); out[i] = out[i]! ^ (1 << Math.floor(r() * 8)); return out; };
    let rejected = 0;
    for (let k = 0; k < 1000; k++) {
      let { manifest, signature, body } = good;
      switch (k % 8) {
        case 0: manifest = Buffer.from(flip(Buffer.from(manifest))).toString('latin1'); break;
        case 1: signature = Buffer.from(flip(Buffer.from(signature, 'base64'))).toString('base64'); break;
        case 2: body = flip(body); break;
        case 3: body = body.subarray(0, Math.floor(r() * body.length)); break;
        case 4: manifest = manifest.slice(0, Math.floor(r() * manifest.length)); break;
        case 5: ({ manifest, signature, body } = signBundle(rw(4), 2, NOW, NOW + DAY, other.privateKey)); break; // wrong key
        case 6: ({ manifest, signature, body } = signBundle(rw(2), 1 - Math.floor(r() * 3), NOW, NOW + DAY, service.privateKey)); break; // not newer
        default: ({ manifest, signature, body } = signBundle(rw(2), 3 + k, NOW - 9 * DAY, NOW - Math.floor(r() * DAY) - 1, service.privateKey)); // expired
      }
      try { applyBundle(db, cache, manifest, signature, body, key, NOW); } catch (err) { expect(err).toBeInstanceOf(HearthError); rejected++; }
      expect(snapshot(db, cache)).toBe(before);
    }
    expect(rejected).toBe(1000);
  });

  it('refuses a rollback, a replay and a manifest with another bundle\'s body', () => {
    const { db, cache } = fresh();
    const v2 = signBundle(rw(2), 2, NOW, NOW + DAY, service.privateKey);
    const v3 = signBundle(rw(5), 3, NOW, NOW + DAY, service.privateKey);
    applyBundle(db, cache, v3.manifest, v3.signature, v3.body, key, NOW);
    const before = snapshot(db, cache);
    expect(() => applyBundle(db, cache, v2.manifest, v2.signature, v2.body, key, NOW)).toThrow(expect.objectContaining({ code: 'sync-bundle-old' }));
    for (let i = 0; i < 20; i++) expect(() => applyBundle(db, cache, v3.manifest, v3.signature, v3.body, key, NOW + i)).toThrow(/rollback or replay/);
    const v4 = signBundle(rw(4), 4, NOW, NOW + DAY, service.privateKey);
    expect(() => applyBundle(db, cache, v4.manifest, v4.signature, v3.body, key, NOW)).toThrow(/not the body of this manifest/);
    expect(snapshot(db, cache)).toBe(before);
  });

  it('refuses a validly signed bundle that maps "good night" to "unlock the front door"', () => {
    const { db, cache } = fresh();
    const v1 = signBundle(rw(2), 1, NOW, NOW + DAY, service.privateKey);
    applyBundle(db, cache, v1.manifest, v1.signature, v1.body, key, NOW);
    const before = snapshot(db, cache);
    const evil = signBundle([...rw(2), { source: 'good night', target: 'unlock the front door', support: 500, probability: 1 }], 2, NOW, NOW + DAY, service.privateKey);
    expect(() => applyBundle(db, cache, evil.manifest, evil.signature, evil.body, key, NOW)).toThrow(/sensitive/);
    expect(snapshot(db, cache)).toBe(before);
  });

  it('stops using global rewrites after the bundle expires (freeze), and keeps the one before to roll back to', () => {
    let now = NOW;
    const { db } = fresh();
    const cache = new RewriteCache(db, { minSimilarity: 0.8, minPersonalSupport: 3, maxPosting: 5000, sensitiveWords: [] }, () => now);
    const b1 = signBundle([{ source: 'telly on', target: 'turn on the tv', support: 9, probability: 1 }], 1, NOW, NOW + DAY, service.privateKey);
    applyBundle(db, cache, b1.manifest, b1.signature, b1.body, key, now);
    const b2 = signBundle([{ source: 'telly on', target: 'turn on the tv', support: 9, probability: 1 }], 2, NOW, NOW + DAY, service.privateKey);
    applyBundle(db, cache, b2.manifest, b2.signature, b2.body, key, now);
    expect(cache.lookup('telly on', () => true, false)?.rewrite.layer).toBe('global');
    now = NOW + DAY + 1;
    expect(cache.lookup('telly on', () => true, false)).toBeUndefined();
    expect(db.prepare('SELECT version FROM sync_bundles WHERE active = 0').all()).toEqual([{ version: 1 }]); // the one before, kept
  });
});

describe('kill -9 during applies', () => {
  it('always leaves the old bundle or the new one, never a mix, and an intact database', async () => {
    // The same check as .ci/run's 1,000-kill run (tools/sync-server/crash-test.ts), 20 kills here.
    const { crashTest } = await import('../../tools/sync-server/crash-test.js');
    const r = await crashTest(20);
    expect(r.violations).toBe(0);
    expect(r.applied).toBeGreaterThan(1);
  }, 60000);
});

describe('rollback', () => {
  it('goes back to the bundle before, in one transaction, and then refuses the same bad one again', async () => {
    const { rollbackBundle } = await import('../../runtime/sync/bundle.js');
    const { db, cache } = fresh();
    const v1 = signBundle(rw(2), 1, NOW, NOW + DAY, service.privateKey);
    const v2 = signBundle(rw(5), 2, NOW, NOW + DAY, service.privateKey);
    applyBundle(db, cache, v1.manifest, v1.signature, v1.body, key, NOW);
    applyBundle(db, cache, v2.manifest, v2.signature, v2.body, key, NOW);
    expect(cache.list('global')).toHaveLength(5);
    expect(rollbackBundle(db, cache, key).version).toBe(1);
    expect(cache.list('global')).toHaveLength(2);
    expect(() => rollbackBundle(db, cache, key)).toThrow(/no earlier bundle/);
    expect(() => applyBundle(db, cache, v2.manifest, v2.signature, v2.body, key, NOW)).toThrow(/rollback or replay/); // the bad one, offered again
    const v3 = signBundle(rw(3), 3, NOW, NOW + DAY, service.privateKey);
    expect(applyBundle(db, cache, v3.manifest, v3.signature, v3.body, key, NOW).version).toBe(3);
    expect(rollbackBundle(db, cache, key).version).toBe(1); // not to the rolled-back v2
  });
});
