/** The adapter factory map, keyed by the ids used under `adapters:` in the config. */
import type { HearthConfig } from '../runtime/config/config.js';
import type { DeviceAdapter } from './adapter.js';
import { Zigbee2MqttAdapter } from './zigbee2mqtt/adapter.js';
import { HomeAssistantAdapter } from './homeassistant/adapter.js';
import { TasmotaAdapter } from './tasmota/adapter.js';
import { ShellyAdapter } from './shelly/adapter.js';

type Adapters = HearthConfig['adapters'];

interface HubInfo { readonly hubId: string; readonly adapters: Adapters }

export const adapterFactories: { readonly [K in keyof Adapters]: (cfg: Adapters[K], hub: HubInfo) => DeviceAdapter } = {
  zigbee2mqtt: (c) => new Zigbee2MqttAdapter(c.baseTopic),
  // zigbee2mqtt's own Home Assistant discovery describes the devices its adapter reads natively: taken once, not twice.
  // The hub's own entities (runtime/hub/ha-entities.ts) are for Home Assistant, not devices to command by voice:
  // "turn off everything" must not mute the hub.
  homeassistant: (c, hub) => new HomeAssistantAdapter(c.discoveryPrefix, hub.adapters.zigbee2mqtt.enabled, [`hearth_${hub.hubId}`]),
  tasmota: (c) => new TasmotaAdapter(c.discoveryPrefix),
  shelly: (c, hub) => new ShellyAdapter(c.gen1Prefix, c.names, `hearth-${hub.hubId}`),
};

export function createAdapters(config: Adapters, hub: { hubId: string }): DeviceAdapter[] {
  const out: DeviceAdapter[] = [];
  for (const key of Object.keys(adapterFactories) as (keyof Adapters)[]) {
    const c = config[key];
    if (c.enabled) out.push((adapterFactories[key] as (cfg: typeof c, h: HubInfo) => DeviceAdapter)(c, { ...hub, adapters: config }));
  }
  return out;
}

export { DeviceRegistry } from './registry.js';
export type { DeviceAdapter, AdapterContext } from './adapter.js';
