/**
 * The hub seen from Home Assistant: the discovery configs it publishes (retained) pass a validator written from HA's
 * MQTT discovery docs, Hearth's own HA adapter discovers them as a device with every entity, the sensors follow the
 * runs, and HA's commands work: mute listening, pick the wake word, run the learning job. The hub's own adapter
 * leaves its entities alone ("turn off everything" must not mute it), and `hearth run --unpublish-ha` clears them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { HomeAssistantAdapter } from '../../device-adapters/homeassistant/adapter.js';
import { harness } from '../device-adapters/harness.js';
import { HubMeta, openDatabase } from '../../runtime/store/db.js';

/**
 * Required keys per component, from Home Assistant's MQTT docs (sensor, switch, select, button pages, and the
 * discovery page for the topic layout, unique_id and the device block).
 */
const REQUIRED: Record<string, string[]> = { sensor: ['state_topic'], switch: [], select: ['command_topic', 'options'], button: ['command_topic'] };
const TOPIC = /^homeassistant\/(sensor|switch|select|button)\/[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+\/config$/;

function validate(topic: string, cfg: Record<string, unknown>): string[] {
  const m = TOPIC.exec(topic);
  if (!m) return [`${topic}: not <prefix>/<component>/<node_id>/<object_id>/config`];
  const problems = REQUIRED[m[1]!]!.filter((k) => cfg[k] === undefined).map((k) => `${topic}: no ${k}`);
  if (m[1] === 'select' && (!Array.isArray(cfg['options']) || cfg['options'].length === 0 || !cfg['options'].every((o) => typeof o === 'string'))) problems.push(`${topic}: options must be a non-empty list of strings`);
  const device = cfg['device'] as { identifiers?: unknown } | undefined;
  if (!device || !Array.isArray(device.identifiers) || device.identifiers.length === 0) problems.push(`${topic}: device needs identifiers (entities with a device need unique_id and identifiers)`);
  if (typeof cfg['unique_id'] !== 'string') problems.push(`${topic}: no unique_id`);
  if (typeof cfg['availability_topic'] !== 'string') problems.push(`${topic}: no availability_topic`);
  return problems;
}

const cli = fileURLToPath(new URL('../../dist/runtime/cli/main.js', import.meta.url));
let hub: Hub;
let client: MqttClient;
const retained = new Map<string, string>();
const seen: { topic: string; payload: string }[] = [];

async function until(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

beforeAll(async () => {
  hub = new Hub(loadConfig({ env: {}, overrides: { hubId: 'ha1', demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-ha-')), embeddedBroker: { port: 0 },
    wake: { words: [{ id: 'hey_jarvis' }, { id: 'alexa' }] } } }), silentLogger);
  await hub.start();
  client = await mqtt.connectAsync(hub.brokerUrl);
  client.on('message', (topic, payload) => { seen.push({ topic, payload: payload.toString() }); retained.set(topic, payload.toString()); });
  await client.subscribeAsync(['homeassistant/#', 'hearth/ha1/#']);
  await until(() => [...retained.keys()].filter((t) => t.startsWith('homeassistant/')).length >= 9);
}, 20_000);

afterAll(async () => {
  await client?.endAsync();
  await hub?.stop();
});

describe('the hub as a Home Assistant device', () => {
  it('publishes retained discovery configs that HA\'s required keys validate', () => {
    const configs = [...retained].filter(([t]) => t.startsWith('homeassistant/'));
    expect(configs.map(([t]) => t.split('/')[1]).sort()).toEqual(['button', 'select', 'sensor', 'sensor', 'sensor', 'sensor', 'sensor', 'sensor', 'switch']);
    for (const [topic, payload] of configs) expect(validate(topic, JSON.parse(payload) as Record<string, unknown>)).toEqual([]);
    const ids = configs.map(([, p]) => (JSON.parse(p) as { unique_id: string }).unique_id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(configs.every(([, p]) => (JSON.parse(p) as { availability_topic: string }).availability_topic === 'hearth/ha1/status')).toBe(true);
  });

  it('is discovered by Hearth\'s own HA adapter as one device with every entity, and its sensors read the state', async () => {
    hub.say('what time is it');
    await until(() => JSON.parse(retained.get('hearth/ha1/ha/state') ?? '{}').last_request === 'what time is it');
    const h = harness(new HomeAssistantAdapter('homeassistant'));
    for (const [topic, payload] of retained) if (topic.startsWith('homeassistant/')) h.send(topic, payload);
    for (const t of ['hearth/ha1/ha/state', 'hearth/ha1/mute', 'hearth/ha1/wake_word', 'hearth/ha1/status']) h.send(t, retained.get(t)!);
    const d = h.byName('Hearth ha1')!;
    expect(Object.keys(d.device.capabilities).sort()).toEqual(['defect_rate_pct', 'last_reply', 'last_request', 'last_wake_score', 'last_wake_word', 'power', 'press', 'turns_today', 'wake_word']);
    expect(d.state.values).toMatchObject({ last_request: 'what time is it', turns_today: 1, power: 'off', wake_word: 'all' });
    expect(d.state.available).toBe(true);
    // The running hub's own adapter left them out: they are not devices to command by voice.
    expect(hub.registry.all().map((x) => x.device.name)).not.toContain('Hearth ha1');
  });

  it('carries out HA\'s commands: mute, the active wake word, the learning job', async () => {
    await client.publishAsync('hearth/ha1/mute/set', 'ON');
    await until(() => retained.get('hearth/ha1/mute') === 'ON');
    expect(retained.get('hearth/ha1/mute')).toBe('ON');
    await client.publishAsync('hearth/ha1/wake_word/set', 'alexa');
    await until(() => retained.get('hearth/ha1/wake_word') === 'alexa');
    expect(retained.get('hearth/ha1/wake_word')).toBe('alexa');
    await client.publishAsync('hearth/ha1/wake_word/set', 'hey_siri'); // not a word of this hub: refused, nothing changes
    // The learning job keeps the home's words for the failure-point model: they are there once it ran.
    const vocabulary = () => new HubMeta(openDatabase(join(hub.config.dataDir, 'hearth.db')).db).get('vocabulary');
    expect(vocabulary()).toBeUndefined();
    await client.publishAsync('hearth/ha1/learn/run', 'PRESS');
    await until(() => vocabulary() !== undefined);
    expect(vocabulary()).toBeDefined();
    expect(retained.get('hearth/ha1/wake_word')).toBe('alexa');
    await client.publishAsync('hearth/ha1/mute/set', 'OFF');
    await until(() => retained.get('hearth/ha1/mute') === 'OFF');
  });

  it('hearth run --unpublish-ha clears every config on the broker', async () => {
    const env = { PATH: process.env['PATH'], HEARTH__HUBID: 'ha1', HEARTH__MQTT__URL: hub.brokerUrl, HEARTH__WAKE__WORDS: '[{id: hey_jarvis}, {id: alexa}]' };
    const r = await promisify(execFile)(process.execPath, [cli, 'run', '--unpublish-ha'], { env, timeout: 15_000 });
    expect(r.stdout).toContain('Removed the hub\'s 9 Home Assistant entities');
    await until(() => [...retained].filter(([t, p]) => t.startsWith('homeassistant/') && p === '').length === 9);
    expect([...retained].filter(([t, p]) => t.startsWith('homeassistant/') && p !== '')).toEqual([]);
  }, 20_000);
});
