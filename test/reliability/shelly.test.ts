/**
 * Shelly Gen2 devices have no discovery: their status topics are what the hub sees (issue: a messy, hostile home).
 * Spoofed `<id>/status/switch:0` messages used to create devices without end; a Shelly Plus 1 whose switch has no name
 * of its own (the device is called "Porch Light") was "shellyplus1-... switch 0", so "turn on the porch light" went to
 * another light. Payloads as the Shelly Gen2 API documents them (https://shelly-api-docs.shelly.cloud/gen2/ComponentsAndServices/Switch,
 * Shelly.GetConfig), against a real Mosquitto.
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

const status = (output: boolean) => JSON.stringify({ id: 0, source: 'init', output, apower: 0, voltage: 231.2, current: 0, aenergy: { total: 0, by_minute: [0, 0, 0], minute_ts: 1700000000 }, temperature: { tC: 45.1, tF: 113.2 } });

describe('Shelly devices from status topics', () => {
  let broker: Mosquitto;
  let hub: Hub;
  let shelly: MqttClient;
  const rpc: string[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
    hub = new Hub(loadConfig({ env: {}, overrides: { hubId: 'shellyhub', dataDir: mkdtempSync(join(tmpdir(), 'hearth-shelly-')), demo: false, maxDevices: 20, mqtt: { url: broker.url } } }), silentLogger);
    await hub.start();
    shelly = await mqtt.connectAsync(broker.url);
    // The device side: answers Shelly.GetConfig as a Shelly Plus 1 named "Porch Light" whose switch has no name.
    await shelly.subscribeAsync('shellyplus1-a8032ab1e2f0/rpc');
    shelly.on('message', (topic, payload) => {
      const req = JSON.parse(payload.toString()) as { id: number; src: string; method: string };
      rpc.push(req.method);
      if (req.method === 'Shelly.GetConfig') {
        shelly.publish(`${req.src}/rpc`, JSON.stringify({ id: req.id, src: 'shellyplus1-a8032ab1e2f0', dst: req.src, result: {
          sys: { device: { name: 'Porch Light', mac: 'A8032AB1E2F0', fw_id: '20231107-164738/1.0.8-g8c7bb8d' } },
          'switch:0': { id: 0, name: null, in_mode: 'follow', initial_state: 'match_input', auto_on: false, auto_off: false },
        } }));
      }
    });
  }, 30000);
  afterAll(async () => { await shelly?.endAsync(true); await hub?.stop(); await broker?.kill(); });

  it('a channel without a name takes the device\'s: "turn on the porch light" switches the Shelly', async () => {
    await shelly.publishAsync('shellyplus1-a8032ab1e2f0/status/switch:0', status(false));
    await until(() => hub.registry.all().some((d) => d.device.name === 'Porch Light'), 'the Porch Light');
    const r = hub.say('turn on the porch light');
    expect(r.commands.map((c) => [c.topic, JSON.parse(c.payload).method])).toEqual([['shellyplus1-a8032ab1e2f0/rpc', 'Switch.Set']]);
  });

  it('spoofed status topics stop at maxDevices; each refusal is counted and the hub still answers', async () => {
    for (let i = 0; i < 100; i++) shelly.publish(`spoof${i}/status/switch:0`, status(true));
    await until(() => hub.refusals('registry-full') >= 81, 'the refusals');
    expect(hub.registry.all().length).toBe(20);
    expect(hub.say('what time is it').response.outcome).toBe('answered');
  });
});
