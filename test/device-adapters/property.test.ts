/** 10,000 generated payloads at each parser: it may refuse them with payload-invalid, never crash. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HearthError } from '../../runtime/types/errors.js';
import { Zigbee2MqttAdapter } from '../../device-adapters/zigbee2mqtt/adapter.js';
import { HomeAssistantAdapter } from '../../device-adapters/homeassistant/adapter.js';
import { TasmotaAdapter } from '../../device-adapters/tasmota/adapter.js';
import { ShellyAdapter } from '../../device-adapters/shelly/adapter.js';
import type { DeviceAdapter } from '../../device-adapters/adapter.js';
import { harness } from './harness.js';

const RUNS = 10_000;
const jsonish = fc.oneof(fc.json(), fc.jsonValue().map((v) => JSON.stringify(v)), fc.string(), fc.constantFrom('', 'ON', 'off', '{', '[]', 'null', '{"state":"ON"}'));
const payload = fc.oneof(jsonish.map((s) => Buffer.from(s)), fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)));

function survives(make: () => DeviceAdapter, topics: fc.Arbitrary<string>) {
  const h = harness(make());
  fc.assert(fc.property(topics, payload, (topic, p) => {
    try {
      h.send(topic, p.toString("latin1"));
    } catch (err) {
      if (!(err instanceof HearthError) || err.code !== 'payload-invalid') throw err;
    }
    // State must stay plain data whatever arrived.
    for (const d of h.registry.all()) expect(typeof d.device.name).toBe('string');
  }), { numRuns: RUNS });
}

describe('parsers never crash on hostile payloads', () => {
  it('zigbee2mqtt', () => survives(() => new Zigbee2MqttAdapter('zigbee2mqtt'), fc.constantFrom('zigbee2mqtt/bridge/devices', 'zigbee2mqtt/Lamp', 'zigbee2mqtt/Lamp/availability', 'zigbee2mqtt/bridge/info')));
  it('homeassistant', () => survives(() => new HomeAssistantAdapter('homeassistant'), fc.constantFrom('homeassistant/light/a/config', 'homeassistant/sensor/n/b/config', 'homeassistant/device/c/config', 'homeassistant/lock/d/config', 'x/state')));
  it('tasmota', () => survives(() => new TasmotaAdapter('tasmota/discovery'), fc.constantFrom('tasmota/discovery/AA/config', 'stat/t/POWER', 'stat/t/RESULT', 'tele/t/STATE', 'tele/t/SENSOR')));
  it('shelly', () => survives(() => new ShellyAdapter('shellies', {}, 'hearth-x'), fc.constantFrom('s1/status/switch:0', 'hearth-x/rpc', 'shellies/s/relay/0', 'shellies/s/roller/0/pos', 'shellies/s/relay/0/power')));

  it('a structurally valid but wrong bridge/devices leaves the registry as it was', () => {
    const h = harness(new Zigbee2MqttAdapter('zigbee2mqtt'));
    h.send('zigbee2mqtt/bridge/devices', [{ friendly_name: 'A', ieee_address: '0x1', definition: { exposes: [{ type: 'switch', features: [{ type: 'binary', name: 'state', property: 'state', access: 7 }] }] } }]);
    expect(() => h.send('zigbee2mqtt/bridge/devices', { not: 'a list' })).toThrow(HearthError);
    expect(h.registry.all().map((d) => d.device.name)).toEqual(['A']);
  });
});
