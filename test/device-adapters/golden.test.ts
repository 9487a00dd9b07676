import { describe, expect, it } from 'vitest';
import { Zigbee2MqttAdapter } from '../../device-adapters/zigbee2mqtt/adapter.js';
import { HomeAssistantAdapter } from '../../device-adapters/homeassistant/adapter.js';
import { TasmotaAdapter } from '../../device-adapters/tasmota/adapter.js';
import { ShellyAdapter } from '../../device-adapters/shelly/adapter.js';
import { harness } from './harness.js';

// Payloads as the bridges publish them (zigbee2mqtt 1.x/2.x docs, HA MQTT discovery docs, Tasmota 13 discovery, Shelly API docs).
const hueBulb = {
  friendly_name: 'Living/Reading Lamp', ieee_address: '0x0017880104e45517', type: 'Router', supported: true,
  definition: { model: '8718699673147', vendor: 'Philips', exposes: [{ type: 'light', features: [
    { type: 'binary', name: 'state', property: 'state', access: 7, value_on: 'ON', value_off: 'OFF', value_toggle: 'TOGGLE' },
    { type: 'numeric', name: 'brightness', property: 'brightness', access: 7, value_min: 0, value_max: 254 },
    { type: 'numeric', name: 'color_temp', property: 'color_temp', access: 7, unit: 'mired', value_min: 153, value_max: 454 }] },
    { type: 'numeric', name: 'linkquality', property: 'linkquality', access: 1, unit: 'lqi' }] },
};
const coordinator = { friendly_name: 'Coordinator', ieee_address: '0x00124b0022', type: 'Coordinator', definition: null };

describe('zigbee2mqtt', () => {
  it('reads bridge/devices, state (before or after the definition) and availability; friendly names may contain /', () => {
    const h = harness(new Zigbee2MqttAdapter('zigbee2mqtt'));
    h.send('zigbee2mqtt/Living/Reading Lamp', { state: 'ON', brightness: 127, color_temp: 300, linkquality: 90 });
    h.send('zigbee2mqtt/bridge/devices', [coordinator, hueBulb]);
    const lamp = h.byName('Living/Reading Lamp')!;
    expect(lamp.device.domain).toBe('light');
    expect(lamp.state.values).toMatchObject({ power: 'on', brightness: 127, color_temp: 300 });
    h.send('zigbee2mqtt/Living/Reading Lamp/availability', { state: 'offline' });
    expect(h.byName('Living/Reading Lamp')!.state.available).toBe(false);
    expect(h.registry.all()).toHaveLength(1);
  });

  it('builds /set commands in the device\'s own values and scales', () => {
    const a = new Zigbee2MqttAdapter('z2m');
    const h = harness(a);
    h.send('z2m/bridge/devices', [hueBulb]);
    const d = h.byName('Living/Reading Lamp')!.device;
    expect(a.commands(d, { power: 'on' })).toEqual([expect.objectContaining({ topic: 'z2m/Living/Reading Lamp/set', payload: '{"state":"ON"}' })]);
    expect(JSON.parse(a.commands(d, { brightnessPct: 50, colorTempMired: 100 })[0]!.payload)).toEqual({ brightness: 127, color_temp: 153 });
    expect(() => a.commands(d, { lock: 'unlock' })).toThrow(/cannot change lock/);
  });

  it('removes devices that leave bridge/devices', () => {
    const h = harness(new Zigbee2MqttAdapter('zigbee2mqtt'));
    h.send('zigbee2mqtt/bridge/devices', [hueBulb]);
    h.send('zigbee2mqtt/bridge/devices', []);
    expect(h.registry.all()).toHaveLength(0);
  });
});

describe('Home Assistant discovery', () => {
  it('merges entities of one device, expands abbreviations and ~, evaluates value templates', () => {
    const a = new HomeAssistantAdapter('homeassistant');
    const h = harness(a);
    h.send('homeassistant/sensor/oven1/temperature/config', { name: 'Temperature', uniq_id: 'oven_t', '~': 'home/oven1', stat_t: '~/state', val_tpl: "{{ value_json['temperature'] | float | round(1) }}", dev_cla: 'temperature', unit_of_meas: '°C', dev: { ids: ['oven1'], name: 'Oven', sa: 'Kitchen' } });
    h.send('homeassistant/switch/oven1/power/config', { name: 'Power', uniq_id: 'oven_p', stat_t: 'home/oven1/state', cmd_t: 'home/oven1/set', val_tpl: '{{ value_json.power }}', pl_on: 'ON', pl_off: 'OFF', dev: { ids: ['oven1'], name: 'Oven' } });
    expect(h.subscriptions.has('home/oven1/state')).toBe(true);
    h.send('home/oven1/state', { power: 'ON', temperature: 179.96 });
    const oven = h.byName('Oven')!;
    expect(oven.device.area).toBe('Kitchen');
    expect(oven.state.values).toMatchObject({ power: 'on', temperature: 180 });
    expect(a.commands(oven.device, { power: 'off' })).toEqual([expect.objectContaining({ topic: 'home/oven1/set', payload: 'OFF' })]);
    h.send('homeassistant/switch/oven1/power/config', '');
    expect(Object.keys(h.byName('Oven')!.device.capabilities)).toEqual(['temperature']);
  });

  it('reads device-based discovery (cmps) and JSON-schema lights', () => {
    const a = new HomeAssistantAdapter('homeassistant');
    const h = harness(a);
    h.send('homeassistant/device/desk/config', { dev: { ids: 'desk1', name: 'Desk Lamp' }, o: { name: 'esphome' }, stat_t: 'desk/state', cmps: { l: { p: 'light', schema: 'json', cmd_t: 'desk/set', uniq_id: 'desk_l', brightness: true, sup_clrm: ['color_temp'] } } });
    h.send('desk/state', { state: 'ON', brightness: 255 });
    const lamp = h.byName('Desk Lamp')!;
    expect(lamp.state.values).toMatchObject({ power: 'on', brightness: 255 });
    expect(JSON.parse(a.commands(lamp.device, { brightnessPct: 50 })[0]!.payload)).toEqual({ state: 'ON', brightness: 128 });
  });

  it('keeps an entity whose template it cannot evaluate, as Home Assistant does, without that state, and reports it', () => {
    const refused: string[] = [];
    const h = harness(new HomeAssistantAdapter('homeassistant'), undefined, (code, _t, detail) => refused.push(`${code}: ${detail}`));
    h.send('homeassistant/sensor/x/config', { name: 'X', stat_t: 'x/s', val_tpl: '{% for c in value %}{{ c }}{% endfor %}' });
    h.send('x/s', '5');
    expect(h.registry.all().map((d) => [d.device.name, d.state.values])).toEqual([['X', {}]]);
    expect(refused).toEqual(['template-unsupported: value_template "{% for c in value %}{{ c }}{% endfor %}" uses a template form Hearth does not evaluate']);
  });
});

describe('Tasmota', () => {
  const coffee = { ip: '192.168.1.50', dn: 'Coffee Maker', fn: ['Coffee Maker', null], hn: 'tasmota-coffee', mac: 'DC4F22AABBCC', md: 'Sonoff Basic', t: 'tasmota_coffee', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [1, 0], state: ['OFF', 'ON', 'TOGGLE', 'HOLD'] };
  it('reads discovery, POWER, RESULT, STATE and SENSOR; commands POWER', () => {
    const a = new TasmotaAdapter('tasmota/discovery');
    const h = harness(a);
    h.send('tasmota/discovery/DC4F22AABBCC/config', coffee);
    h.send('stat/tasmota_coffee/POWER', 'ON');
    expect(h.byName('Coffee Maker')!.state.values['power']).toBe('on');
    h.send('tele/tasmota_coffee/STATE', { Time: '2026-11-21T10:00:00', POWER: 'OFF' });
    expect(h.byName('Coffee Maker')!.state.values['power']).toBe('off');
    h.send('tele/tasmota_coffee/SENSOR', { Time: '2026-11-21T10:00:00', AM2301: { Temperature: 22.4, Humidity: 40 }, TempUnit: 'C' });
    expect(h.byName('Coffee Maker')!.state.values).toMatchObject({ temperature: 22.4, humidity: 40 });
    expect(a.commands(h.byName('Coffee Maker')!.device, { power: 'on' })).toEqual([expect.objectContaining({ topic: 'cmnd/tasmota_coffee/POWER', payload: 'ON' })]);
  });

  it('dims a Tasmota light (rl 2, lt_st 1) with Dimmer and reads Dimmer back', () => {
    const a = new TasmotaAdapter('tasmota/discovery');
    const h = harness(a);
    h.send('tasmota/discovery/600194112233/config', { ip: '192.168.1.51', dn: 'Hall Bulb', fn: ['Hall Bulb'], hn: 'hall-bulb', mac: '600194112233', md: 'Generic', t: 'hall_bulb', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [2, 0], lt_st: 1, state: ['OFF', 'ON', 'TOGGLE', 'HOLD'] });
    const bulb = h.byName('Hall Bulb')!;
    expect(bulb.device.domain).toBe('light');
    expect(bulb.device.capabilities['brightness']).toMatchObject({ writable: true, max: 100 });
    h.send('stat/hall_bulb/RESULT', { POWER: 'ON', Dimmer: 40 });
    expect(h.byName('Hall Bulb')!.state.values).toMatchObject({ power: 'on', brightness: 40 });
    expect(a.commands(bulb.device, { brightnessPct: 65 })).toEqual([expect.objectContaining({ topic: 'cmnd/hall_bulb/Dimmer', payload: '65' })]);
    expect(a.commands(bulb.device, { power: 'off' })).toEqual([expect.objectContaining({ topic: 'cmnd/hall_bulb/POWER', payload: 'OFF' })]);
  });

  it('names each relay of a multi-relay device and addresses POWERn', () => {
    const a = new TasmotaAdapter('tasmota/discovery');
    const h = harness(a);
    h.send('tasmota/discovery/AA/config', { ...coffee, mac: 'AA', dn: 'Dual', fn: ['Fan', 'Heater'], t: 'dual', rl: [1, 1] });
    expect(a.commands(h.byName('Heater')!.device, { power: 'off' })[0]!.topic).toBe('cmnd/dual/POWER2');
  });
});

describe('Shelly', () => {
  it('Gen2: status/switch:N, asks names with Shelly.GetConfig, commands with Switch.Set', () => {
    const a = new ShellyAdapter('shellies', {}, 'hearth-test');
    const h = harness(a);
    h.send('shellyplus1pm-a8032ab12345/status/switch:0', { id: 0, source: 'init', output: true, apower: 8.9, voltage: 237.5 });
    expect(h.published[0]).toMatchObject({ topic: 'shellyplus1pm-a8032ab12345/rpc' });
    h.send('hearth-test/rpc', { id: 1, src: 'shellyplus1pm-a8032ab12345', dst: 'hearth-test', result: { 'switch:0': { id: 0, name: 'Desk Fan' } } });
    const fan = h.byName('Desk Fan')!;
    expect(fan.state.values).toMatchObject({ power: 'on', power_w: 8.9 });
    const cmd = JSON.parse(a.commands(fan.device, { power: 'off' })[0]!.payload);
    expect(cmd).toMatchObject({ method: 'Switch.Set', params: { id: 0, on: false } });
  });

  it('Gen1: relay state and /command, roller position', () => {
    const a = new ShellyAdapter('shellies', { 'shelly1-abc:0': 'Porch Light' }, 'hearth-test');
    const h = harness(a);
    h.send('shellies/shelly1-abc/relay/0', 'on');
    const porch = h.byName('Porch Light')!;
    expect(porch.state.values['power']).toBe('on');
    expect(a.commands(porch.device, { power: 'off' })[0]).toMatchObject({ topic: 'shellies/shelly1-abc/relay/0/command', payload: 'off' });
    h.send('shellies/shelly25-x/roller/0/pos', '40');
    expect(h.registry.all().find((d) => d.device.domain === 'cover')!.state.values['position']).toBe(40);
  });
});
