/**
 * The PIN is a secret (issue: a messy, hostile home). It used to be published on <prefix>/turn, stored in the turn log
 * and once became a taught rewrite; three wrong PINs from any client locked the whole household out. Against a real
 * Mosquitto and a real SQLite file: the PIN, typed or spoken, appears on no topic, in no table and in no log line,
 * is never learned, and wrong PINs lock out only the origin that sent them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import pino from 'pino';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { openDatabase } from '../../runtime/store/db.js';
import { GLOBAL_FACTOR, MAX_GLOBAL_BACKOFF_MS, Policy } from '../../runtime/policy/policy.js';
import { startMosquitto, until, type Mosquitto } from './mosquitto.js';

describe('the PIN never leaves the policy', () => {
  let broker: Mosquitto;
  let hub: Hub;
  let spy: MqttClient;
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-pin-'));
  const seen: string[] = [];
  let logged = '';

  beforeAll(async () => {
    broker = await startMosquitto();
    const sink = new Writable({ write(chunk, _enc, done) { logged += String(chunk); done(); } });
    hub = new Hub(loadConfig({ env: {}, overrides: { dataDir, demo: true, pin: '4321', mqtt: { url: broker.url } } }), pino({ level: 'trace' }, sink));
    await hub.start();
    await until(() => hub.registry.all().length >= 8, 'the demo home');
    spy = await mqtt.connectAsync(broker.url);
    await spy.subscribeAsync('#');
    spy.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
  }, 30000);
  afterAll(async () => { await spy?.endAsync(true); await hub?.stop(); await broker?.kill(); });

  const say = (text: string, siteId = 'kitchen') => spy.publishAsync(`hearth/${hub.config.hubId}/say`, JSON.stringify({ text, siteId }));
  const turns = () => seen.filter((m) => m.includes('/turn '));
  // The PIN as a token: not a run inside a millisecond timestamp, a duration or a UUID, which hold '4321' by chance
  // (CI once failed on such a row).
  const pinToken = /(?<![0-9A-Za-z.-])4321(?![0-9A-Za-z.-])/;

  it('typed or spoken, the PIN is on no topic, in no table, in no log line; what it unlocked still happens', async () => {
    await say('unlock the front door');
    await say('4321');
    await until(() => seen.some((m) => m.startsWith('zigbee2mqtt/Front Door/set')), 'the unlock');
    hub.newSession();
    hub.say('unlock the front door', { source: 'speech', siteId: 'hall' });
    const spoken = hub.say('four three two one', { source: 'speech', siteId: 'hall' });
    expect(spoken.response.outcome).toBe('action-done');
    expect(spoken.text).toBe('[PIN]');
    // Said twice where no PIN was asked for: the hub used to offer to learn it, and learned "4321" -> the next request.
    hub.newSession();
    expect(hub.say('4321').response.speech).not.toContain('What should I do');
    expect(hub.say('4321').response.speech).not.toContain('What should I do');
    hub.say('unlock the front door');
    hub.learn();
    await new Promise((r) => setTimeout(r, 300));
    expect(turns().length).toBeGreaterThanOrEqual(6);
    // Everything the hub published (the say topic is the asker's own message) and logged.
    const everything = [seen.filter((m) => !m.startsWith(`hearth/${hub.config.hubId}/say `)).join('\n'), logged].join('\n');
    expect(everything).not.toMatch(pinToken);
    expect(everything).not.toContain('four three two one');
    expect(turns().some((m) => m.includes('"text":"[PIN]"'))).toBe(true);
    const db = new Database(join(dataDir, 'hearth.db'), { readonly: true });
    try {
      const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((t) => t.name);
      for (const t of tables) {
        const rows = JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all());
        expect(rows, t).not.toMatch(pinToken);
        expect(rows, t).not.toContain('four three two one');
      }
    } finally { db.close(); }
    expect(hub.rewriteCache!.list().map((r) => `${r.source} -> ${r.target}`)).toEqual([]);
  }, 30000);

  it('three wrong PINs lock out the origin that sent them, not the household', async () => {
    for (let i = 0; i < 3; i++) {
      await say('unlock the front door', 'attacker');
      await say('1111', 'attacker');
    }
    await say('unlock the front door', 'attacker');
    await until(() => turns().some((m) => m.includes('Too many wrong PINs')), 'the lockout');
    hub.newSession();
    expect(hub.say('unlock the front door', { source: 'speech', siteId: 'hall' }).response.speech).toBe('To unlock the Front Door, say the household PIN.');
    expect(hub.say('4321', { source: 'speech', siteId: 'hall' }).response.outcome).toBe('action-done');
  }, 30000);

  it('redaction leaves ids alone: a turn id whose UUID has a group 4321 is still the turn id', async () => {
    const { scrub } = await import('../../runtime/policy/secret.js');
    const turn = { turnId: '0f8e2b7c-4321-4a6b-9c1d-2e3f4a5b6c7d', text: '4321', stages: [{ stage: 'nlu', input: '4321', output: { slots: { digits: '4321' } } }] };
    expect(scrub(turn, ['4321'])).toEqual({ turnId: '0f8e2b7c-4321-4a6b-9c1d-2e3f4a5b6c7d', text: '[PIN]', stages: [{ stage: 'nlu', input: '[PIN]', output: { slots: { digits: '[PIN]' } } }] });
  });

  it('a PIN with a leading zero, typed as digits, is the PIN', async () => {
    const { recognize } = await import('../../runtime/nlu/recognizer.js');
    const { Lexicon } = await import('../../runtime/nlu/lexicon.js');
    const lex = new Lexicon([], [], []);
    expect(recognize('0123', lex)?.slots.digits).toBe('0123');
    expect(recognize('zero one two three', lex)?.slots.digits).toBe('0123');
  });

  it('many origins at once: guessing slows to a bounded backoff, and the household waits at most that long', () => {
    let now = 1_000_000;
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'hearth-pin-policy-')), 'p.db'), () => now).db;
    const policy = new Policy(db, { pin: '4321', pinAttempts: 3, lockoutMinutes: 10, adoptionWindowMs: 0, enabledSensitive: [], sensitiveNames: [] }, () => now);
    for (let i = 0; i < GLOBAL_FACTOR * 3 + 4; i++) { now += 10; policy.checkPin('0000', `mqtt:fake-${i}`); }
    expect(policy.checkPin('4321', 'speech:hall')).toBe('locked-out'); // during the backoff, even the right PIN waits
    now += MAX_GLOBAL_BACKOFF_MS + 1;
    expect(policy.checkPin('4321', 'speech:hall')).toBe('ok'); // never longer than the bound
    db.close();
  });
});
