/**
 * Two hubs and one service on loopback: hub A learns a rewrite from its household's rephrases and
 * uploads it (opted in); the service (K lowered to 1 for the test) publishes it in a signed bundle;
 * hub B syncs and uses it. And the privacy rule: a pair reported by fewer than K hubs never appears.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { createService } from '../../tools/sync-server/service.js';
import { newServiceKeys } from '../../tools/sync-server/sign.js';
import { syncOnce } from '../../runtime/sync/client.js';
import { openDatabase } from '../../runtime/store/db.js';

const keys = newServiceKeys();
const closers: (() => Promise<void> | void)[] = [];
afterAll(async () => { for (const c of closers.reverse()) await c(); });

async function startService(k: number) {
  const svc = createService({ dbPath: join(mkdtempSync(join(tmpdir(), 'hearth-svc-')), 'sync.db'), privateKey: keys.privateKey, k, bundleTtlMs: 7 * 86_400_000 });
  await svc.app.listen({ port: 0, host: '127.0.0.1' });
  closers.push(() => svc.close());
  return { svc, url: `http://127.0.0.1:${(svc.app.server.address() as AddressInfo).port}` };
}

async function startHub(url: string, enrollToken: string | null = null) {
  const clock = { now: Date.now() };
  const hub = new Hub(loadConfig({ env: {}, overrides: {
    dataDir: mkdtempSync(join(tmpdir(), 'hearth-hub-')), embeddedBroker: { port: 0 }, learning: { nightlyHour: null },
    sync: { url, publicKey: keys.publicKeyB64, upload: true, intervalS: 604800, enrollToken },
  } }), silentLogger, { nowMs: () => clock.now });
  await hub.start();
  closers.push(() => hub.stop());
  const end = Date.now() + 5000;
  while (hub.registry.all().length < 8 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  return { hub, clock };
}

describe('cloud sync, end to end', () => {
  it('a rewrite learned on hub A reaches hub B through the service', async () => {
    const { svc, url } = await startService(1);
    const a = await startHub(url, svc.issueToken());
    for (let i = 0; i < 2; i++) { // two conversations: the request fails, the person says it the way that works
      a.clock.now += 600_000; a.hub.newSession();
      a.hub.say('lamp on please mate');
      a.clock.now += 4000;
      a.hub.say('turn on the living room lamp');
    }
    a.hub.learn();
    expect(await a.hub.uploadLearned()).toBe(1);
    expect(svc.publish()?.manifest).toContain('"count":1');

    const b = await startHub(url);
    const { db } = openDatabase(join(b.hub.config.dataDir, 'hearth.db'));
    closers.push(() => { db.close(); });
    expect((await syncOnce(db, b.hub.rewriteCache!, b.hub.config.sync, Date.now())).kind).toBe('applied');
    const r = b.hub.say('lamp on please mate');
    expect(r.commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Living Room Lamp/set']);
    expect((r.stages.find((s) => s.stage === 'rewrite')!.output as { source: string }).source).toBe('global');
  }, 30000);

  it('publishes a pair only when K distinct hubs reported it', async () => {
    const { svc, url } = await startService(2);
    const [a, b, c] = [await enrolled(url, svc.issueToken()), await enrolled(url, svc.issueToken()), await enrolled(url, svc.issueToken())];
    const post = (hub: typeof a, source: string) => hub.upload([{ source, target: 'turn on the kitchen light', count: 50 }]);
    expect((await post(a, 'kitchen on')).status).toBe(200);
    expect((await post(a, 'kitchen on')).status).toBe(200); // the same hub again is still one hub
    await post(b, 'lights in the kitchen please');
    const one = svc.publish();
    expect(one === undefined || !Buffer.from(one.body).toString().includes('kitchen on')).toBe(true);
    await post(c, 'kitchen on');
    const two = svc.publish()!;
    expect(Buffer.from(two.body).toString()).toContain('"source":"kitchen on"');
    expect(Buffer.from(two.body).toString()).not.toContain('lights in the kitchen please');
  }, 30000);
});

/** A client that enrols a key of its own with `token` and signs its uploads as a hub does (runtime/sync/upload.ts). */
async function enrolled(url: string, token: string) {
  const { generateKeyPairSync, sign } = await import('node:crypto');
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  const res = await fetch(`${url}/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token, publicKey: publicKeyB64 }) });
  const hubId = res.ok ? ((await res.json()) as { hubId: string }).hubId : '';
  let atMs = Date.now();
  return {
    enrolStatus: res.status, hubId,
    upload: (pairs: unknown[], as = hubId) => {
      const body = JSON.stringify({ atMs: ++atMs, pairs });
      return fetch(`${url}/v1/upload`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hearth-hub': as, 'x-hearth-signature': sign(null, Buffer.from(body), privateKey).toString('base64') }, body });
    },
  };
}

describe('the service trusts no one', () => {
  it('one client posing as many hubs publishes nothing: unenrolled ids, a reused token, forged and replayed uploads are refused', async () => {
    const { svc, url } = await startService(5);
    const pair = [{ source: 'open sesame', target: 'unlock the front door', count: 1000 }];
    // Made-up hub ids, no enrolment: refused.
    const raw = (hubId: string) => fetch(`${url}/v1/upload`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hearth-hub': hubId, 'x-hearth-signature': 'AAAA' }, body: JSON.stringify({ atMs: Date.now(), pairs: pair }) });
    for (let i = 0; i < 5; i++) expect((await raw(`hub-fake-${i}-000000`)).status).toBe(401);
    // One token: one hub. The same token for a second key is refused; so is an upload signed by one key under another id.
    const token = svc.issueToken();
    const first = await enrolled(url, token);
    expect(first.enrolStatus).toBe(200);
    const second = await enrolled(url, token);
    expect(second.enrolStatus).toBe(403);
    expect((await second.upload(pair, first.hubId)).status).toBe(401); // its key did not sign as the first hub
    expect((await first.upload(pair)).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await first.upload(pair, `${first.hubId}${i}`)).status).toBe(401);
    const published = svc.publish();
    expect(published === undefined || !Buffer.from(published.body).toString().includes('open sesame')).toBe(true);
    // Enrolment from one address is rate-limited: tokens cannot be tried without end.
    const tries = await Promise.all(Array.from({ length: 6 }, () => enrolled(url, 'guessed-token')));
    expect(tries.map((t) => t.enrolStatus).sort()).toContain(429);
  }, 30000);

  it('an upload replayed or from a far-off clock is refused', async () => {
    const { svc, url } = await startService(1);
    const { generateKeyPairSync, sign } = await import('node:crypto');
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const publicKeyB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    const res = await fetch(`${url}/v1/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: svc.issueToken(), publicKey: publicKeyB64 }) });
    const { hubId } = (await res.json()) as { hubId: string };
    const send = (atMs: number) => {
      const body = JSON.stringify({ atMs, pairs: [] });
      return fetch(`${url}/v1/upload`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hearth-hub': hubId, 'x-hearth-signature': sign(null, Buffer.from(body), privateKey).toString('base64') }, body });
    };
    const t = Date.now();
    expect((await send(t)).status).toBe(200);
    expect((await send(t)).status).toBe(401); // the same upload again
    expect((await send(t + 3_600_000)).status).toBe(401); // an hour ahead
  }, 30000);
});

describe('what leaves the home', () => {
  it('never a pair that names one of its own devices by a specific name', async () => {
    const { shareablePairs } = await import('../../runtime/sync/upload.js');
    const { RewriteCache } = await import('../../runtime/rewrite/cache.js');
    const { db } = openDatabase(join(mkdtempSync(join(tmpdir(), 'hearth-share-')), 'hearth.db'));
    const cache = new RewriteCache(db, { minSimilarity: 0.8, minPersonalSupport: 3, maxPosting: 5000, sensitiveWords: [] });
    cache.add('personal', 'put on the telly', 'turn on the big screen', 4);
    cache.add('personal', 'kitchen on please', 'turn on the kitchen light', 3);
    const pairs = shareablePairs(cache, ['Big Screen', 'Kitchen Light'], ['Kitchen']);
    expect(pairs).toEqual([{ source: 'kitchen on please', target: 'turn on the kitchen light', count: 3 }]);
    db.close();
  });
});
