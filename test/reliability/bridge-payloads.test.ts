/**
 * Bridge payloads are validated per device (issue: a messy, hostile home). One malformed entry in zigbee2mqtt's
 * bridge/devices used to empty the home, and a real list of 80 devices (468 KB) was refused by a 256 KB cap. Entries
 * are shaped as zigbee2mqtt documents bridge/devices (https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html,
 * a Philips Hue bulb with its endpoints, clusters and reporting), against a real Mosquitto.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { reportCommand } from '../../runtime/cli/report.js';
import { startMosquitto, until, type Mosquitto } from './mosquitto.js';

const bulb = (i: number) => ({
  ieee_address: `0x0017880104e4${String(i).padStart(4, '0')}`, type: 'Router', network_address: 29159 + i, supported: true,
  friendly_name: `Lamp ${i}`, disabled: false, description: null, power_source: 'Mains (single phase)', software_build_id: '1.93.11',
  date_code: '20210809', model_id: 'LCT015', interviewing: false, interview_completed: true, manufacturer: 'Signify Netherlands B.V.',
  endpoints: { 11: {
    bindings: [{ cluster: 'genOnOff', target: { type: 'endpoint', endpoint: 1, ieee_address: '0x00124b0022000000' } }],
    configured_reportings: ['genOnOff', 'genLevelCtrl', 'lightingColorCtrl'].map((cluster) => ({ cluster, attribute: 'onOff', minimum_report_interval: 0, maximum_report_interval: 3600, reportable_change: 0 })),
    clusters: { input: ['genBasic', 'genIdentify', 'genGroups', 'genScenes', 'genOnOff', 'genLevelCtrl', 'touchlink', 'lightingColorCtrl', 'manuSpecificUbisysDimmerSetup'], output: ['genOta'] },
    scenes: [] } },
  definition: { model: '9290012573A', vendor: 'Philips', description: 'Hue white and color ambiance E26/E27/E14', supports_ota: true, options: [], exposes: [
    { type: 'light', features: [
      { type: 'binary', name: 'state', label: 'State', property: 'state', access: 7, value_on: 'ON', value_off: 'OFF', value_toggle: 'TOGGLE', description: 'On/off state of this light' },
      { type: 'numeric', name: 'brightness', label: 'Brightness', property: 'brightness', access: 7, value_min: 0, value_max: 254, description: 'Brightness of this light' },
      { type: 'numeric', name: 'color_temp', label: 'Color temp', property: 'color_temp', access: 7, unit: 'mired', value_min: 153, value_max: 500,
        presets: [{ name: 'coolest', value: 153, description: 'Coolest temperature supported' }, { name: 'warmest', value: 500, description: 'Warmest temperature supported' }] },
      { type: 'composite', name: 'color_xy', label: 'Color (X/Y)', property: 'color', access: 7, features: [
        { type: 'numeric', name: 'x', property: 'x', access: 7 }, { type: 'numeric', name: 'y', property: 'y', access: 7 }] }] },
    { type: 'enum', name: 'effect', label: 'Effect', property: 'effect', access: 2, values: ['blink', 'breathe', 'okay', 'channel_change', 'candle', 'finish_effect', 'stop_effect', 'stop_hue_effect'] },
    { type: 'enum', name: 'power_on_behavior', label: 'Power-on behavior', property: 'power_on_behavior', access: 7, values: ['off', 'on', 'toggle', 'previous'] },
    { type: 'numeric', name: 'linkquality', label: 'Linkquality', property: 'linkquality', access: 1, unit: 'lqi', value_min: 0, value_max: 255 }] },
});

describe('zigbee2mqtt bridge/devices from a real-sized home', () => {
  let broker: Mosquitto;
  let hub: Hub;
  let client: MqttClient;
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-bridge-'));

  beforeAll(async () => {
    broker = await startMosquitto();
    hub = new Hub(loadConfig({ env: {}, overrides: { dataDir, demo: false, mqtt: { url: broker.url } } }), silentLogger);
    await hub.start();
    client = await mqtt.connectAsync(broker.url);
  }, 30000);
  afterAll(async () => { await client?.endAsync(true); await hub?.stop(); await broker?.kill(); });

  it('300 devices (800 KB, three times the old cap) are read; a malformed entry is skipped, counted and reported, the rest kept', async () => {
    const devices: unknown[] = Array.from({ length: 300 }, (_, i) => bulb(i));
    devices.splice(150, 0, { ...bulb(999), definition: { model: 'x', vendor: 'y', exposes: 'not a list' } }, { friendly_name: 'No Address' }, 'garbage');
    const payload = JSON.stringify(devices);
    expect(payload.length).toBeGreaterThan(3 * 256 * 1024);
    await client.publishAsync('zigbee2mqtt/bridge/devices', payload, { retain: true });
    await until(() => hub.registry.all().length === 300, '300 devices');
    expect(hub.refusals('payload-invalid')).toBe(2); // 'not a list' exposes carry nothing to control: skipped, not an error
    // The next list has Lamp 7 malformed: it keeps its last good definition; Lamp 8 has left the network.
    const next = Array.from({ length: 300 }, (_, i) => bulb(i)).filter((_, i) => i !== 8) as Record<string, unknown>[];
    next[7] = { ...next[7], definition: 42 };
    await client.publishAsync('zigbee2mqtt/bridge/devices', JSON.stringify(next), { retain: true });
    await until(() => hub.registry.all().length === 299, 'Lamp 8 removed');
    expect(hub.registry.all().some((d) => d.device.name === 'Lamp 7')).toBe(true);
    expect(hub.say('turn on lamp two hundred').commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Lamp 200/set']);
    const lines: string[] = [];
    await hub.stop();
    reportCommand(hub.config, (l) => lines.push(l));
    expect(lines.join('\n')).toMatch(/payload-invalid\s+3\s+zigbee2mqtt\/bridge\/devices: entry 7 \(0x0017880104e40007\): definition is not an object/);
    await hub.start();
  }, 60000);

  it('a multi-gang switch is one device per endpoint, each switched and read on its own', async () => {
    // A TuYa TS0013 three-gang wall switch as zigbee2mqtt exposes it (https://www.zigbee2mqtt.io/devices/TS0013.html).
    const gang = { ieee_address: '0xa4c1380000000013', friendly_name: 'Hall Switch', type: 'EndDevice', supported: true, definition: { model: 'TS0013', vendor: 'TuYa',
      description: 'Smart light switch - 3 gang without neutral wire', exposes: ['l1', 'l2', 'l3'].map((ep) => ({ type: 'switch', endpoint: ep, features: [
        { type: 'binary', name: 'state', label: 'State', property: `state_${ep}`, access: 7, value_on: 'ON', value_off: 'OFF', value_toggle: 'TOGGLE', endpoint: ep }] }))
        .concat([{ type: 'numeric', name: 'linkquality', property: 'linkquality', access: 1, unit: 'lqi' } as never]) } };
    await client.publishAsync('zigbee2mqtt/bridge/devices', JSON.stringify([bulb(0), gang]), { retain: true });
    await until(() => hub.registry.all().filter((d) => d.device.name.startsWith('Hall Switch')).length === 3, 'three switches');
    await client.publishAsync('zigbee2mqtt/Hall Switch', JSON.stringify({ state_l1: 'ON', state_l2: 'OFF', state_l3: 'ON', linkquality: 80 }));
    await until(() => hub.registry.all().find((d) => d.device.name === 'Hall Switch 2')?.state.values['power'] === 'off', 'the state of each');
    expect(hub.registry.all().filter((d) => d.device.name.startsWith('Hall Switch')).map((d) => [d.device.name, d.state.values['power']]).sort())
      .toEqual([['Hall Switch 1', 'on'], ['Hall Switch 2', 'off'], ['Hall Switch 3', 'on']]);
    hub.newSession();
    const r = hub.say('turn on hall switch 2');
    expect(r.commands.map((c) => [c.topic, c.payload])).toEqual([['zigbee2mqtt/Hall Switch/set', '{"state_l2":"ON"}']]);
  }, 30000);
});

/** What zigbee2mqtt's Home Assistant extension publishes for a Hue bulb (its discovery output, schema json). */
const z2mDiscovery = {
  availability: [{ topic: 'zigbee2mqtt/bridge/state', value_template: '{{ value_json.state }}' }], availability_mode: 'all',
  brightness: true, brightness_scale: 254, command_topic: 'zigbee2mqtt/Kitchen Light/set',
  device: { identifiers: ['zigbee2mqtt_0x0017880104e45517'], manufacturer: 'Philips', model: 'Hue white and color ambiance E26/E27/E14 (9290012573A)', name: 'Kitchen Light', via_device: 'zigbee2mqtt_bridge_0x00124b0022000000' },
  json_attributes_topic: 'zigbee2mqtt/Kitchen Light', name: null, object_id: 'kitchen_light', origin: { name: 'Zigbee2MQTT', sw: '1.35.1', url: 'https://www.zigbee2mqtt.io' },
  schema: 'json', state_topic: 'zigbee2mqtt/Kitchen Light', supported_color_modes: ['xy', 'color_temp'], unique_id: '0x0017880104e45517_light_zigbee2mqtt',
};

describe("zigbee2mqtt's own Home Assistant discovery", () => {
  let broker: Mosquitto;
  const hubs: Hub[] = [];
  beforeAll(async () => { broker = await startMosquitto(); }, 30000);
  afterAll(async () => { for (const h of hubs) await h.stop(); await broker?.kill(); });
  const hub = async (zigbee2mqtt: boolean) => {
    const h = new Hub(loadConfig({ env: {}, overrides: { hubId: `z2m${zigbee2mqtt}`, dataDir: mkdtempSync(join(tmpdir(), 'hearth-z2mha-')), demo: false, mqtt: { url: broker.url },
      adapters: { zigbee2mqtt: { enabled: zigbee2mqtt } } } }), silentLogger);
    await h.start();
    hubs.push(h);
    return h;
  };

  it('with the zigbee2mqtt adapter off, its discovery entities get their state; on, the device is there once', async () => {
    const c = await mqtt.connectAsync(broker.url);
    await c.publishAsync('homeassistant/light/0x0017880104e45517/light/config', JSON.stringify(z2mDiscovery), { retain: true });
    await c.publishAsync('zigbee2mqtt/bridge/devices', JSON.stringify([{ ...bulb(0), ieee_address: '0x0017880104e45517', friendly_name: 'Kitchen Light' }]), { retain: true });
    await c.publishAsync('zigbee2mqtt/bridge/state', JSON.stringify({ state: 'online' }), { retain: true });
    await c.publishAsync('zigbee2mqtt/Kitchen Light', JSON.stringify({ state: 'ON', brightness: 200, linkquality: 120 }), { retain: true });
    await c.endAsync();
    const discoveryOnly = await hub(false);
    await until(() => discoveryOnly.registry.all().some((d) => d.device.name === 'Kitchen Light' && d.state.values['power'] === 'on'), 'the light\'s state through discovery');
    const both = await hub(true);
    await until(() => both.registry.all().some((d) => d.device.name === 'Kitchen Light' && d.state.values['power'] === 'on'), 'the light on the second hub');
    await new Promise((r) => setTimeout(r, 300));
    expect(both.registry.all().filter((d) => d.device.name === 'Kitchen Light').map((d) => d.device.adapter)).toEqual(['zigbee2mqtt']);
  }, 30000);
});
