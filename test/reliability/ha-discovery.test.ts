/**
 * Home Assistant MQTT discovery as the bridges really write it (issue: a messy, hostile home). HA's own MQTT lock
 * documentation uses `value_template: "{{ value.x }}"`, which dropped the whole lock; bridges write conditionals
 * and `is defined`; zigbee2mqtt says availability with a value_template. Against a real Mosquitto: a template Hearth
 * cannot evaluate costs that one state (reported), never the entity or its device's other components.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { startMosquitto, until, type Mosquitto } from './mosquitto.js';

describe('discovery templates', () => {
  let broker: Mosquitto;
  let hub: Hub;
  let c: MqttClient;
  const named = (n: string) => hub.registry.all().find((d) => d.device.name === n);

  beforeAll(async () => {
    broker = await startMosquitto();
    hub = new Hub(loadConfig({ env: {}, overrides: { hubId: 'tpl', dataDir: mkdtempSync(join(tmpdir(), 'hearth-tpl-')), demo: false, pin: '2468', mqtt: { url: broker.url },
      policy: { enabledSensitive: ['Front Door', 'Back Door'] } } }), silentLogger);
    await hub.start();
    c = await mqtt.connectAsync(broker.url);
  }, 30000);
  afterAll(async () => { await c?.endAsync(true); await hub?.stop(); await broker?.kill(); });

  it('HA\'s documented lock with "{{ value.x }}": the lock stays, locks and unlocks; its unreadable state is reported', async () => {
    // https://www.home-assistant.io/integrations/lock.mqtt/ (the example configuration)
    await c.publishAsync('homeassistant/lock/frontdoor/config', JSON.stringify({ name: 'Front Door', unique_id: 'frontdoor_lock', state_topic: 'home-assistant/frontdoor/state',
      code_format: '^\\d{4}$', command_topic: 'home-assistant/frontdoor/set', command_template: '{ "action": "{{ value }}", "code":"{{ code }}" }',
      payload_lock: 'LOCK', payload_unlock: 'UNLOCK', state_locked: 'LOCK', state_unlocked: 'UNLOCK', state_locking: 'LOCKING', state_unlocking: 'UNLOCKING',
      state_jammed: 'MOTOR_JAMMED', state_ok: 'MOTOR_OK', optimistic: false, qos: 1, retain: true, value_template: '{{ value.x }}' }), { retain: true });
    await until(() => named('Front Door') !== undefined, 'the lock');
    expect(hub.refusals('template-unsupported')).toBeGreaterThanOrEqual(1);
    hub.newSession();
    expect(hub.say('lock the front door').commands.map((x) => x.topic)).toEqual(['home-assistant/frontdoor/set']);
  });

  it('conditionals and "is defined" are read; one unreadable component of a device costs only itself', async () => {
    await c.publishAsync('homeassistant/device/porch/config', JSON.stringify({
      dev: { ids: 'porch-hub-1', name: 'Porch', mf: 'Acme', suggested_area: 'Porch' }, o: { name: 'bridge' }, stat_t: 'porch/state',
      cmps: {
        door: { p: 'lock', name: 'Back Door', uniq_id: 'porch_door', cmd_t: 'porch/door/set', val_tpl: "{% if value_json.door == 'LOCK' %}LOCKED{% else %}UNLOCKED{% endif %}" },
        temp: { p: 'sensor', name: 'Porch Temperature', uniq_id: 'porch_temp', dev_cla: 'temperature', unit_of_meas: '°C', val_tpl: '{{ value_json.temp if value_json.temp is defined else 0 }}' },
        light: { p: 'light', name: 'Porch Light', uniq_id: 'porch_light', cmd_t: 'porch/light/set', stat_val_tpl: "{{ 'ON' if value_json.light == 'on' else 'OFF' }}" },
        odd: { p: 'sensor', name: 'Porch Odd', uniq_id: 'porch_odd', val_tpl: '{{ states("sensor.x") }}' },
      } }), { retain: true });
    await c.publishAsync('porch/state', JSON.stringify({ door: 'LOCK', temp: 12.5, light: 'on' }), { retain: true });
    await until(() => named('Porch')?.state.values['temperature'] === 12.5, 'the porch state');
    const porch = named('Porch')!;
    expect(porch.state.values).toMatchObject({ lock: 'locked', power: 'on', temperature: 12.5 });
    expect(hub.refusals('template-unsupported')).toBeGreaterThanOrEqual(2); // the lock's {{ value.x }} and the odd sensor
  });

  it('availability with a value_template, as zigbee2mqtt writes it, takes a device offline and back', async () => {
    await c.publishAsync('homeassistant/switch/pump/config', JSON.stringify({ name: 'Pump', unique_id: 'pump1', command_topic: 'zigbee2mqtt/Pump/set', state_topic: 'zigbee2mqtt/Pump',
      value_template: '{{ value_json.state }}', availability: [{ topic: 'zigbee2mqtt/bridge/state', value_template: '{{ value_json.state }}' }] }), { retain: true });
    await until(() => named('Pump') !== undefined, 'the pump');
    await c.publishAsync('zigbee2mqtt/bridge/state', JSON.stringify({ state: 'offline' }));
    await until(() => named('Pump')?.state.available === false, 'the pump offline');
    hub.newSession();
    expect(hub.say('turn on the pump').response.speech).toBe('The Pump is offline, so I changed nothing.');
    await c.publishAsync('zigbee2mqtt/bridge/state', JSON.stringify({ state: 'online' }));
    await until(() => named('Pump')?.state.available === true, 'the pump online');
  });
});
