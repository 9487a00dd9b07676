/**
 * kill -9 under load (issue: a messy, hostile home): the hub as a user runs it (`hearth run`, the built CLI) against a
 * real Mosquitto, answering a stream of requests, killed with SIGKILL at a random moment, three times on the same data
 * folder. Every turn it answered on <prefix>/turn is in the turn log afterwards, and SQLite's integrity_check is ok.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import mqtt, { type MqttClient } from 'mqtt';
import { startMosquitto, until, type Mosquitto } from './mosquitto.js';

const cli = fileURLToPath(new URL('../../dist/runtime/cli/main.js', import.meta.url));
const REQUESTS = ['turn on the kitchen light', 'what time is it', 'turn off the kitchen light', 'is the front door locked', 'what is the temperature in the living room'];

describe('kill -9 under load', () => {
  let broker: Mosquitto;
  let client: MqttClient;
  const answered = new Set<string>();
  let online = false;
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-kill9-'));
  const hubId = 'killed';

  beforeAll(async () => {
    broker = await startMosquitto();
    client = await mqtt.connectAsync(broker.url);
    await client.subscribeAsync([`hearth/${hubId}/turn`, `hearth/${hubId}/status`]);
    client.on('message', (topic, payload) => {
      if (topic.endsWith('/status')) online = payload.toString() === 'online';
      else answered.add((JSON.parse(payload.toString()) as { turnId: string }).turnId);
    });
  }, 30000);
  afterAll(async () => { await client?.endAsync(true); await broker?.kill(); });

  it('loses no answered turn and leaves an intact database, three times over', async () => {
    for (let round = 0; round < 3; round++) {
      online = false;
      const hub = spawn(process.execPath, [cli, 'run'], { stdio: 'ignore', env: {
        PATH: process.env['PATH'], HEARTH__MQTT__URL: broker.url, HEARTH__DATADIR: dataDir, HEARTH__HUBID: hubId, HEARTH__DEMO: 'true', HEARTH__LOG__LEVEL: 'warn' } });
      const exited = new Promise((r) => hub.once('exit', r));
      await until(() => online, 'the hub online', 20000);
      const before = answered.size;
      let i = 0;
      const flood = setInterval(() => { for (let k = 0; k < 4; k++, i++) client.publish(`hearth/${hubId}/say`, JSON.stringify({ text: REQUESTS[i % REQUESTS.length], siteId: `site${i % 40}` })); }, 10);
      await new Promise((r) => setTimeout(r, 800 + Math.random() * 1200));
      hub.kill('SIGKILL');
      clearInterval(flood);
      await exited;
      expect(answered.size - before).toBeGreaterThan(20); // it was busy when it died
    }
    await new Promise((r) => setTimeout(r, 200)); // the last answers in flight reach the client
    const db = new Database(join(dataDir, 'hearth.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const logged = new Set(db.prepare<[], { id: string }>('SELECT id FROM interactions').all().map((r) => r.id));
      const lost = [...answered].filter((id) => !logged.has(id));
      expect(lost).toEqual([]);
    } finally { db.close(); }
  }, 90000);
});
