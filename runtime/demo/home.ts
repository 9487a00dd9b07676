/**
 * A small simulated home, published in the bridges' own formats (zigbee2mqtt, Home Assistant
 * discovery, Tasmota, Shelly Gen1), whose devices react to commands the way the real ones do: they
 * publish their new state. On by default only with the embedded broker, so the first `npm start`
 * shows the whole loop working.
 */
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../log.js';
import type { HearthConfig } from '../config/config.js';

const light = (name: string, ieee: string) => ({
  friendly_name: name, ieee_address: ieee, type: 'Router', supported: true,
  definition: { model: 'LED1545G12', vendor: 'IKEA', description: 'TRADFRI bulb E27', exposes: [{ type: 'light', features: [
    { type: 'binary', name: 'state', property: 'state', access: 7, value_on: 'ON', value_off: 'OFF', value_toggle: 'TOGGLE' },
    { type: 'numeric', name: 'brightness', property: 'brightness', access: 7, value_min: 0, value_max: 254 },
    { type: 'numeric', name: 'color_temp', property: 'color_temp', access: 7, unit: 'mired', value_min: 250, value_max: 454 },
  ] }] },
});

export const DEMO_RETAINED: { topic: string; payload: unknown }[] = [
  { topic: 'zigbee2mqtt/bridge/devices', payload: [
    light('Living Room Lamp', '0x000b57fffe000001'), light('Kitchen Light', '0x000b57fffe000002'), light('Bedroom Lamp', '0x000b57fffe000003'),
    { friendly_name: 'Front Door', ieee_address: '0x000d6f000f000004', type: 'EndDevice', supported: true, definition: { model: 'YRD256HA20BP', vendor: 'Yale', description: 'Assure lock', exposes: [
      { type: 'lock', features: [{ type: 'binary', name: 'state', property: 'state', access: 7, value_on: 'LOCK', value_off: 'UNLOCK' }] }] } },
    { friendly_name: 'Living Room Sensor', ieee_address: '0x00158d0001000005', type: 'EndDevice', supported: true, definition: { model: 'WSDCGQ11LM', vendor: 'Aqara', description: 'Temperature and humidity sensor', exposes: [
      { type: 'numeric', name: 'temperature', property: 'temperature', access: 1, unit: '°C' }, { type: 'numeric', name: 'humidity', property: 'humidity', access: 1, unit: '%' }] } },
  ] },
  { topic: 'zigbee2mqtt/Living Room Lamp', payload: { state: 'OFF', brightness: 200, color_temp: 370 } },
  { topic: 'zigbee2mqtt/Kitchen Light', payload: { state: 'ON', brightness: 254, color_temp: 300 } },
  { topic: 'zigbee2mqtt/Bedroom Lamp', payload: { state: 'OFF', brightness: 120, color_temp: 400 } },
  { topic: 'zigbee2mqtt/Front Door', payload: { state: 'LOCK' } },
  { topic: 'zigbee2mqtt/Living Room Sensor', payload: { temperature: 21.5, humidity: 45 } },
  { topic: 'homeassistant/sensor/oven1/temperature/config', payload: { name: 'Temperature', uniq_id: 'oven1_temp', stat_t: 'demo/oven1/state', val_tpl: '{{ value_json.temperature }}', dev_cla: 'temperature', unit_of_meas: '°C', dev: { ids: ['oven1'], name: 'Oven', sa: 'Kitchen' } } },
  { topic: 'homeassistant/switch/oven1/power/config', payload: { name: 'Power', uniq_id: 'oven1_power', stat_t: 'demo/oven1/state', cmd_t: 'demo/oven1/set', val_tpl: '{{ value_json.power }}', dev: { ids: ['oven1'], name: 'Oven', sa: 'Kitchen' } } },
  { topic: 'demo/oven1/state', payload: { power: 'OFF', temperature: 22 } },
  { topic: 'tasmota/discovery/DC4F22000006/config', payload: { ip: '127.0.0.1', dn: 'Coffee Maker', fn: ['Coffee Maker', null, null, null, null, null, null, null], hn: 'tasmota-coffee', mac: 'DC4F22000006', md: 'Sonoff Basic', t: 'tasmota_coffee', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [1, 0, 0, 0, 0, 0, 0, 0], state: ['OFF', 'ON', 'TOGGLE', 'HOLD'], sw: '13.1.0' } },
  { topic: 'stat/tasmota_coffee/POWER', payload: 'OFF' },
  { topic: 'shellies/shelly1-demo/relay/0', payload: 'off' },
];

/** What a user of this home would write in hearth.yaml: rooms for the Zigbee devices, a name for the Shelly relay. */
export function withDemoSettings(config: HearthConfig): HearthConfig {
  return {
    ...config,
    areas: { 'Living Room Lamp': 'Living Room', 'Living Room Sensor': 'Living Room', 'Kitchen Light': 'Kitchen', 'Bedroom Lamp': 'Bedroom', 'Front Door': 'Hallway', 'Coffee Maker': 'Kitchen', 'Hallway Fan': 'Hallway', ...config.areas },
    adapters: { ...config.adapters, shelly: { ...config.adapters.shelly, names: { 'shelly1-demo:0': 'Hallway Fan', ...config.adapters.shelly.names } } },
  };
}

export class DemoHome {
  private client: MqttClient | undefined;

  constructor(private readonly url: string, private readonly log: Logger) {}

  async start(): Promise<void> {
    const client = await mqtt.connectAsync(this.url, { clientId: `hearth-demo-${process.pid}` });
    this.client = client;
    for (const m of DEMO_RETAINED) {
      await client.publishAsync(m.topic, typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload), { retain: true, qos: 1 });
    }
    await client.subscribeAsync(['zigbee2mqtt/+/set', 'demo/oven1/set', 'cmnd/tasmota_coffee/POWER', 'shellies/shelly1-demo/relay/0/command']);
    client.on('message', (topic, payload) => this.react(topic, payload.toString('utf8')));
    this.log.info({ devices: 8 }, 'demo home published');
  }

  /** Devices answer a command with their new state, retained, as the real bridges do. */
  private react(topic: string, payload: string): void {
    const c = this.client!;
    const pub = (t: string, p: unknown) => c.publish(t, typeof p === 'string' ? p : JSON.stringify(p), { retain: true, qos: 1 });
    try {
      if (topic.startsWith('zigbee2mqtt/') && topic.endsWith('/set')) {
        const name = topic.slice('zigbee2mqtt/'.length, -'/set'.length);
        const prev = DEMO_RETAINED.find((m) => m.topic === `zigbee2mqtt/${name}`);
        const next = { ...(prev?.payload as object), ...(JSON.parse(payload) as object) };
        if (prev) prev.payload = next;
        pub(`zigbee2mqtt/${name}`, next);
      } else if (topic === 'demo/oven1/set') {
        pub('demo/oven1/state', { power: payload, temperature: payload === 'ON' ? 180 : 22 });
      } else if (topic === 'cmnd/tasmota_coffee/POWER') {
        pub('stat/tasmota_coffee/POWER', payload === 'TOGGLE' ? 'ON' : payload);
      } else if (topic === 'shellies/shelly1-demo/relay/0/command') {
        pub('shellies/shelly1-demo/relay/0', payload === 'on' ? 'on' : 'off');
      }
    } catch (err) {
      this.log.warn({ topic, err: (err as Error).message }, 'demo device ignored a command');
    }
  }

  async stop(): Promise<void> {
    await this.client?.endAsync();
  }
}
