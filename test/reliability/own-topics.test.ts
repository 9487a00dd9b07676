/**
 * Loop protection (issue: a messy, hostile home). A Home Assistant discovery config whose command topic was the hub's
 * own say topic made a loop of 38 turns a second. Now the hub never sends a command to, nor lets a bridge read,
 * Hearth's own topics, and one origin on the say topic is rate-limited. Against a real Mosquitto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { startMosquitto, until, type Mosquitto } from './mosquitto.js';

describe("Hearth's own topics", () => {
  let broker: Mosquitto;
  let hub: Hub;
  let client: MqttClient;
  const turns: string[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    hub = new Hub(loadConfig({ env: {}, overrides: { dataDir: mkdtempSync(join(tmpdir(), 'hearth-own-')), demo: false, mqtt: { url: broker.url } } }), silentLogger);
    await hub.start();
    client = await mqtt.connectAsync(broker.url);
    await client.subscribeAsync(`hearth/${hub.config.hubId}/turn`);
    client.on('message', (_t, p) => turns.push(p.toString()));
    // As published by a misconfigured (or hostile) device: its command topic is the hub's say topic, its state the hub's turns.
    await client.publishAsync('homeassistant/switch/loop1/config', JSON.stringify({
      name: 'Loop Switch', unique_id: 'loop1', command_topic: `hearth/${hub.config.hubId}/say`, state_topic: `hearth/${hub.config.hubId}/turn`,
      payload_on: 'turn on the loop switch', payload_off: 'OFF',
    }), { retain: true });
    await until(() => hub.registry.all().some((d) => d.device.name === 'Loop Switch'), 'the switch');
  }, 30000);
  afterAll(async () => { await client?.endAsync(true); await hub?.stop(); await broker?.kill(); });

  it('a command to the hub\'s own say topic is refused, and no loop starts', async () => {
    const r = hub.say('turn on the loop switch');
    expect(r.errorCode).toBe('command-own-topic');
    expect(r.response.speech).toContain("is one of Hearth's own topics, so I did not send it");
    expect(r.commands).toEqual([]);
    await new Promise((res) => setTimeout(res, 1000));
    expect(turns.length).toBe(1); // the refusal, and nothing after it
    expect(hub.refusals('command-own-topic')).toBe(1);
    expect(hub.refusals('adapter-own-topic')).toBeGreaterThanOrEqual(1); // its state topic was never subscribed
  });

  it('one origin flooding the say topic gets 20 turns in 10 s; another is still heard', async () => {
    turns.length = 0;
    for (let i = 0; i < 50; i++) client.publish(`hearth/${hub.config.hubId}/say`, JSON.stringify({ text: 'what time is it', siteId: 'flood' }));
    await client.publishAsync(`hearth/${hub.config.hubId}/say`, JSON.stringify({ text: 'what is the date', siteId: 'kitchen' }));
    await until(() => turns.some((t) => t.includes('Today is')), 'the kitchen\'s turn');
    await new Promise((res) => setTimeout(res, 300));
    expect(turns.filter((t) => t.includes('HassGetCurrentTime')).length).toBe(20);
    expect(hub.refusals('say-rate-limited')).toBe(30);
    // The counts are the hub's status too: retained on hearth/<hubId>/refusals, refreshed as they are saved (1 s).
    const status = await mqtt.connectAsync(broker.url);
    try {
      let counts: Record<string, number> = {};
      status.on('message', (_t, p) => { counts = JSON.parse(p.toString()) as Record<string, number>; });
      await status.subscribeAsync(`hearth/${hub.config.hubId}/refusals`);
      await until(() => counts['say-rate-limited'] === 30, 'the refusal counts on MQTT');
      expect(counts['command-own-topic']).toBe(1);
    } finally { await status.endAsync(); }
  });
});
