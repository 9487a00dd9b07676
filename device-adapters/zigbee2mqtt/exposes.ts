/**
 * zigbee2mqtt `definition.exposes` -> capabilities. Spec:
 * https://www.zigbee2mqtt.io/guide/usage/exposes.html (access bits: 1 published, 2 settable, 4 gettable).
 */
import type { Capability, Domain } from '../../runtime/types/device.js';
import { isObject, num, str, type JsonObject } from '../parse.js';

export interface PropertyMap {
  /** Capability id in the registry. */
  readonly capability: Capability;
  /** The property name in the device's state and /set payloads. */
  readonly property: string;
  readonly valueOn?: unknown;
  readonly valueOff?: unknown;
}

export interface ExposeResult {
  readonly domain: Domain;
  readonly deviceClass?: string;
  readonly properties: readonly PropertyMap[];
}

const SPECIFIC: Record<string, Domain> = { light: 'light', switch: 'switch', lock: 'lock', cover: 'cover', fan: 'fan', climate: 'climate' };
const DOMAIN_RANK: Domain[] = ['lock', 'climate', 'cover', 'light', 'fan', 'switch', 'binary_sensor', 'sensor'];

/** Generic property names that mean a measure with a Home Assistant device class. */
const MEASURE_CLASS: Record<string, string> = {
  temperature: 'temperature', humidity: 'humidity', pressure: 'pressure', battery: 'battery', illuminance: 'illuminance',
  illuminance_lux: 'illuminance', co2: 'carbon_dioxide', voc: 'volatile_organic_compounds', pm25: 'pm25', power: 'power',
  energy: 'energy', voltage: 'voltage', current: 'current', local_temperature: 'temperature',
};
const BINARY_CLASS: Record<string, string> = {
  contact: 'door', occupancy: 'occupancy', presence: 'presence', water_leak: 'moisture', smoke: 'smoke', gas: 'gas',
  carbon_monoxide: 'carbon_monoxide', vibration: 'vibration', tamper: 'tamper', battery_low: 'battery',
};

function access(e: JsonObject): { readable: boolean; writable: boolean } {
  const a = num(e['access']) ?? 1;
  return { readable: (a & 1) !== 0 || (a & 4) !== 0, writable: (a & 2) !== 0 };
}

function featureToProperty(e: JsonObject, parentType: string | undefined): PropertyMap | undefined {
  const property = str(e['property']);
  const name = str(e['name']) ?? property;
  const type = str(e['type']);
  if (!property || !name || !type) return undefined;
  const { readable, writable } = access(e);
  const unit = str(e['unit']);
  const min = num(e['value_min']);
  const max = num(e['value_max']);
  let id = name;
  if (name === 'state' && (parentType === 'light' || parentType === 'switch' || parentType === 'fan')) id = 'power';
  else if (name === 'state' && parentType === 'lock') id = 'lock';
  else if (name === 'state' && parentType === 'cover') id = 'cover';
  else if (name === 'occupied_heating_setpoint' || name === 'current_heating_setpoint') id = 'target_temperature';
  else if (name === 'local_temperature') id = 'temperature';
  else if (name === 'color_xy' || name === 'color_hs') id = 'color';
  const endpoint = str(e['endpoint']);
  if (endpoint && id === 'power') id = `power_${endpoint}`;
  const kind = type === 'binary' ? 'binary' : type === 'numeric' ? 'numeric' : type === 'enum' ? 'enum' : 'text';
  const values = Array.isArray(e['values']) ? (e['values'] as unknown[]).filter((v): v is string => typeof v === 'string') : undefined;
  const deviceClass = parentType ? undefined : (type === 'binary' ? BINARY_CLASS[name] : MEASURE_CLASS[name]);
  const capability: Capability = {
    id, kind, readable, writable,
    ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}),
    ...(unit ? { unit } : {}), ...(values ? { values } : {}), ...(deviceClass ? { deviceClass } : {}),
  };
  return { capability, property, valueOn: e['value_on'], valueOff: e['value_off'] };
}

export function mapExposes(exposes: unknown): ExposeResult {
  const properties: PropertyMap[] = [];
  const domains = new Set<Domain>();
  const list = Array.isArray(exposes) ? exposes : [];
  for (const raw of list) {
    if (!isObject(raw)) continue;
    const type = str(raw['type']);
    if (type && SPECIFIC[type]) {
      domains.add(SPECIFIC[type]);
      const features = Array.isArray(raw['features']) ? raw['features'] : [];
      for (const f of features) {
        if (!isObject(f)) continue;
        if (str(f['type']) === 'composite') {
          // color_xy / color_hs composites: the property is the parent's.
          const p = featureToProperty({ ...f, type: 'text' }, type);
          if (p) properties.push(p);
          continue;
        }
        const p = featureToProperty(f, type);
        if (p) properties.push(p);
      }
    } else if (type === 'numeric' || type === 'binary' || type === 'enum' || type === 'text') {
      const p = featureToProperty(raw, undefined);
      if (!p) continue;
      properties.push(p);
      if (type === 'binary' && BINARY_CLASS[p.capability.id]) domains.add('binary_sensor');
      if (type === 'numeric' && MEASURE_CLASS[p.capability.id]) domains.add('sensor');
    }
  }
  const domain = DOMAIN_RANK.find((d) => domains.has(d)) ?? 'sensor';
  const firstClassed = properties.find((p) => p.capability.deviceClass)?.capability.deviceClass;
  return { domain, properties, ...(domain === 'sensor' || domain === 'binary_sensor') && firstClassed ? { deviceClass: firstClassed } : {} };
}
