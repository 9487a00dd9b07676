/**
 * What a user notices when things go wrong around the hub: the broker restarts, the disk fills up,
 * the database file is damaged. Real aedes brokers on loopback, real SQLite files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import aedes from 'aedes';
import mqtt from 'mqtt';
import pino from 'pino';
import Database from 'better-sqlite3';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { InteractionLog } from '../../runtime/store/interactions.js';
import { openDatabase } from '../../runtime/store/db.js';

const { createBroker } = aedes;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Published { topic: string; payload: string }
/** A real aedes broker that also records what clients publish through it. */
async function startBroker(port = 0): Promise<{ port: number; seen: Published[]; stop: () => Promise<void> }> {
  const broker = createBroker();
  const seen: Published[] = [];
  broker.on('publish', (packet, client) => { if (client) seen.push({ topic: packet.topic, payload: packet.payload.toString() }); });
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    broker.handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as AddressInfo).port, seen,
    stop: async () => {
      // A broker that goes away: every connection drops at once, as when Mosquitto is restarted.
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => broker.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

function capture() {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (s: string) => { lines.push(JSON.parse(s) as Record<string, unknown>); } });
  return { log, lines };
}

async function until(what: string, cond: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

const LAMP = [{ friendly_name: 'Desk Lamp', ieee_address: '0x01', type: 'Router', definition: { exposes: [{ type: 'light', features: [
  { name: 'state', property: 'state', type: 'binary', access: 7, value_on: 'ON', value_off: 'OFF' }] }] } }];

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function config(over: Record<string, unknown>) {
  return loadConfig({ env: {}, overrides: { hubId: `t${Math.floor(Math.random() * 1e6)}`, demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-')), ...over } });
}

describe('broker that goes away', () => {
  it('keeps answering, queues its commands, and after the broker returns sends them and hears requests again', async () => {
    let b = await startBroker();
    const port = b.port;
    const seed = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
    await seed.publishAsync('zigbee2mqtt/bridge/devices', JSON.stringify(LAMP), { retain: true, qos: 1 });
    await seed.endAsync();
    const cfg = config({ mqtt: { url: `mqtt://127.0.0.1:${port}`, reconnectMinMs: 100, reconnectMaxMs: 1000 } });
    const { log, lines } = capture();
    const hub = new Hub(cfg, log);
    await hub.start();
    cleanups.push(() => hub.stop());
    await until('the lamp', () => hub.registry.all().length === 1);

    await b.stop();
    await sleep(200);
    const offline = hub.say('turn on the desk lamp');
    expect(offline.response.speech.toLowerCase()).toContain('on');
    expect(offline.commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Desk Lamp/set']);

    b = await startBroker(port);
    cleanups.push(b.stop);
    // The command given while the broker was away arrives once it is back, and the hub says it is online again.
    await until('the queued command', () => b.seen.some((m) => m.topic === 'zigbee2mqtt/Desk Lamp/set' && m.payload.includes('"ON"')));
    await until('status online', () => b.seen.some((m) => m.topic === `${hub.topicPrefix}/status` && m.payload === 'online'));
    // It subscribed again: a request published now is heard and carried out.
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`);
    cleanups.push(() => client.endAsync());
    await sleep(300);
    await client.publishAsync(`${hub.topicPrefix}/say`, 'turn off the desk lamp');
    await until('the command after reconnect', () => b.seen.some((m) => m.topic === 'zigbee2mqtt/Desk Lamp/set' && m.payload.includes('"OFF"')));
    expect(lines.some((l) => l['msg'] === 'mqtt error' || String(l['msg']).includes('reconnect') || String(l['msg']).includes('lost'))).toBe(true);
  }, 20000);
});

describe('turn log on a full disk', () => {
  it('keeps turns in memory while SQLite reports the disk full and writes them when it has room again', async () => {
    const cfg = config({ embeddedBroker: { port: 0 } });
    const hub = new Hub(cfg, pino({ level: 'silent' }), { databasePath: ':memory:' });
    await hub.start();
    cleanups.push(() => hub.stop());
    const file = join(mkdtempSync(join(tmpdir(), 'hearth-full-')), 'full.db');
    const { db } = openDatabase(file);
    cleanups.push(async () => { db.close(); });
    const { log, lines } = capture();
    const turns = new InteractionLog(db, log);
    // SQLite's own limit on the file's pages: inserts fail with SQLITE_FULL, as on a full disk.
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    for (let i = 0; i < 40; i++) {
      const text = `turn on the lamp number ${i} ${'padding '.repeat(40)}`;
      turns.record({ text, source: 'text', atMs: Date.now() }, hub.say(text), 1);
    }
    expect(turns.pendingRows).toBeGreaterThan(0);
    const errors = lines.filter((l) => l['code'] === 'store-write-failed');
    expect(errors.length).toBe(1); // once when the trouble starts, not once per turn
    expect(String(errors[0]!['msg'])).toContain(file);

    db.pragma('max_page_count = 1073741823');
    const last = hub.say('what time is it');
    turns.record({ text: 'what time is it', source: 'text', atMs: Date.now() }, last, 1);
    expect(turns.pendingRows).toBe(0);
    expect(turns.count()).toBe(41);
    expect(lines.some((l) => l['code'] === 'store-write-recovered')).toBe(true);
  }, 20000);
});

describe('corrupt database file', () => {
  it('keeps the damaged file aside, starts a fresh database, and answers', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hearth-corrupt-'));
    const garbage = 'this is not a SQLite database\n'.repeat(500);
    writeFileSync(join(dataDir, 'hearth.db'), garbage);
    const { log, lines } = capture();
    const hub = new Hub(config({ dataDir, embeddedBroker: { port: 0 } }), log);
    await hub.start();
    cleanups.push(() => hub.stop());
    const kept = readdirSync(dataDir).filter((f) => f.startsWith('hearth.db.corrupt-'));
    expect(kept).toHaveLength(1);
    expect(readFileSync(join(dataDir, kept[0]!), 'utf8')).toBe(garbage);
    const logged = lines.find((l) => l['code'] === 'store-corrupt');
    expect(String(logged?.['msg'])).toContain(join(dataDir, 'hearth.db'));
    hub.say('what time is it');
    expect(hub.interactionLog?.count()).toBe(1);
    expect(new Database(join(dataDir, 'hearth.db')).pragma('quick_check', { simple: true })).toBe('ok');
  }, 20000);
});

describe('listening that cannot start', () => {
  it('a missing wake model costs the listening, not the hub: it still answers typed requests', async () => {
    const { log, lines } = capture();
    const hub = new Hub(config({ embeddedBroker: { port: 0 }, audio: { source: 'hermes', hermesSiteIds: ['kitchen'] },
      wake: { modelsDir: mkdtempSync(join(tmpdir(), 'hearth-nomodels-')) } }), log);
    await hub.start();
    cleanups.push(() => hub.stop());
    expect(lines.some((l) => l['code'] === 'model-missing')).toBe(true);
    expect(hub.say('what time is it').response.outcome).toBe('answered');
  }, 20000);
});
