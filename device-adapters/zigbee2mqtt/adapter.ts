/**
 * zigbee2mqtt: `<base>/bridge/devices` defines devices, `<base>/<friendly_name>` carries state as
 * JSON, `<base>/<friendly_name>/set` takes commands, `<base>/<friendly_name>/availability` says
 * online/offline. Friendly names may contain `/`, so topics are matched against known names, not
 * split. https://www.zigbee2mqtt.io/guide/usage/mqtt_topics_and_messages.html
 */
import type { Device, DeviceOperation, StateValue } from '../../runtime/types/device.js';
import type { DeviceCommand } from '../../runtime/types/pipeline.js';
import { HearthError } from '../../runtime/types/errors.js';
import type { AdapterContext, DeviceAdapter } from '../adapter.js';
import { invalid, isObject, MAX_DEVICE_LIST_BYTES, num, parseJson, str, text } from '../parse.js';
import { mapExposes, type PropertyMap } from './exposes.js';
import { deviceScenes, groupScenes, type Z2mScene } from './scenes.js';

interface Known {
  readonly deviceId: string;
  readonly friendlyName: string;
  readonly byProperty: ReadonlyMap<string, PropertyMap>;
  readonly byCapability: ReadonlyMap<string, PropertyMap>;
}

/** State for names not yet in bridge/devices (retained messages arrive in any order). */
const MAX_PENDING = 2000;

export class Zigbee2MqttAdapter implements DeviceAdapter {
  readonly id = 'zigbee2mqtt' as const;
  private ctx: AdapterContext | undefined;
  /** A friendly name is one device, or one per endpoint of a multi-gang device. */
  private readonly byName = new Map<string, Known[]>();
  private readonly byDeviceId = new Map<string, Known>();
  private readonly pending = new Map<string, Buffer>();
  /** Scenes by device id, from bridge/devices (endpoints) and bridge/groups. */
  private readonly scenes = { devices: new Map<string, Z2mScene>(), groups: new Map<string, Z2mScene>() };

  constructor(private readonly baseTopic: string) {}

  start(ctx: AdapterContext): void {
    this.ctx = ctx;
    ctx.subscribe(`${this.baseTopic}/#`);
  }

  handle(topic: string, payload: Buffer): boolean {
    const prefix = `${this.baseTopic}/`;
    if (!topic.startsWith(prefix)) return false;
    const rest = topic.slice(prefix.length);
    if (rest === 'bridge/devices') {
      this.onDevices(topic, payload);
      return true;
    }
    if (rest === 'bridge/groups') {
      const list = parseJson(topic, payload, MAX_DEVICE_LIST_BYTES);
      if (!Array.isArray(list)) throw invalid(topic, 'bridge/groups must be a JSON array');
      this.replaceScenes('groups', groupScenes(list));
      return true;
    }
    if (rest.startsWith('bridge/')) return false; // bridge/state and the rest: for discovery entities that read them
    if (rest.endsWith('/set') || rest.endsWith('/get')) return true; // our own commands echoed back
    const knowns = this.byName.get(rest);
    if (knowns) {
      for (const known of knowns) this.onState(topic, known, payload);
      return true;
    }
    if (rest.endsWith('/availability')) {
      for (const owner of this.byName.get(rest.slice(0, -'/availability'.length)) ?? []) this.onAvailability(topic, owner, payload);
      return true;
    }
    if (payload.length > 0 && (this.pending.size < MAX_PENDING || this.pending.has(rest))) this.pending.set(rest, payload);
    return false; // not a device of bridge/devices (yet): kept for when it is, and left to other readers (discovery entities)
  }

  private onDevices(topic: string, payload: Buffer): void {
    const list = parseJson(topic, payload, MAX_DEVICE_LIST_BYTES);
    if (!Array.isArray(list)) throw invalid(topic, 'bridge/devices must be a JSON array');
    const ctx = this.ctx!;
    // Parse everything first so that an invalid list leaves the registry unchanged; each entry on its own, so that one
    // bad entry is skipped (and counted) while the others, and that device's last good definition, are kept.
    const parsed: { device: Device; known: Known }[] = [];
    const listed = new Set<string>();
    for (const [i, raw] of list.entries()) {
      const ieee = isObject(raw) ? str(raw['ieee_address']) : undefined;
      if (ieee) listed.add(ieee);
      try {
        parsed.push(...this.parseDevice(raw));
      } catch (err) {
        ctx.refuse?.('payload-invalid', topic, `entry ${i}${ieee ? ` (${ieee})` : ''}: ${(err as Error).message}`);
      }
    }
    const fresh = new Set(parsed.map((p) => p.device.id));
    for (const known of [...this.byDeviceId.values()]) {
      // Gone from the list, or listed with a new shape (one device became endpoints, or back): removed.
      const ieee = known.deviceId.split(':')[1]!;
      if (!listed.has(ieee) || (!fresh.has(known.deviceId) && parsed.some((p) => p.device.id.split(':')[1] === ieee))) {
        this.byDeviceId.delete(known.deviceId);
        ctx.registry.remove(known.deviceId);
      }
    }
    for (const { device, known } of parsed) {
      this.byDeviceId.set(device.id, known);
      ctx.registry.upsert(device);
    }
    this.replaceScenes('devices', deviceScenes(list));
    this.byName.clear(); // from the definitions now held: a renamed device answers to its new name only
    for (const known of this.byDeviceId.values()) this.byName.set(known.friendlyName, [...(this.byName.get(known.friendlyName) ?? []), known]);
    for (const [name, knowns] of this.byName) {
      const waiting = this.pending.get(name);
      if (!waiting) continue;
      this.pending.delete(name);
      for (const known of knowns) try { this.onState(`${this.baseTopic}/${name}`, known, waiting); } catch { /* stale state: dropped */ }
    }
  }

  /**
   * One bridge/devices entry: its devices (none when there is nothing to control); throws when malformed. A multi-gang
   * device whose controls carry endpoints (state_l1, state_l2...) is one device per endpoint, "Kitchen Switch 1", "2".
   */
  private parseDevice(raw: unknown): { device: Device; known: Known }[] {
    if (!isObject(raw)) throw new Error('not a JSON object');
    const friendlyName = str(raw['friendly_name']);
    const ieee = str(raw['ieee_address']);
    if (raw['type'] === 'Coordinator') return [];
    if (!friendlyName || !ieee) throw new Error('no friendly_name or ieee_address');
    const def = raw['definition'];
    if (def === null || def === undefined) return []; // unsupported device: nothing we can control
    if (!isObject(def)) throw new Error('definition is not an object');
    const exposes = Array.isArray(def['exposes']) ? def['exposes'] : [];
    const endpoints = [...new Set(exposes.flatMap((e) => (isObject(e) && Array.isArray(e['features']) && typeof e['endpoint'] === 'string' ? [e['endpoint']] : [])))];
    if (endpoints.length < 2) return this.oneDevice(def, def['exposes'], friendlyName, `zigbee2mqtt:${ieee}`, friendlyName);
    // Each endpoint's device has plain capabilities (power, not power_l1); its properties keep the endpoint (state_l1).
    const plain = (e: Record<string, unknown>) => ({ ...e, features: (e['features'] as unknown[]).map((f) => (isObject(f) ? { ...f, endpoint: undefined } : f)) });
    return endpoints.flatMap((ep) => this.oneDevice(def, exposes.filter((e) => isObject(e) && e['endpoint'] === ep).map((e) => plain(e as Record<string, unknown>)), friendlyName,
      `zigbee2mqtt:${ieee}:${ep}`, `${friendlyName} ${ep.replace(/^l(\d+)$/, '$1')}`));
  }

  private oneDevice(def: Record<string, unknown>, exposes: unknown, friendlyName: string, deviceId: string, name: string): { device: Device; known: Known }[] {
    const { domain, deviceClass, properties } = mapExposes(exposes);
    if (properties.length === 0) return [];
    const capabilities = Object.fromEntries(properties.map((p) => [p.capability.id, p.capability]));
    const model = str(def['model']);
    const vendor = str(def['vendor']);
    const device: Device = {
      id: deviceId, adapter: 'zigbee2mqtt', name, aliases: [], domain, capabilities,
      ...(deviceClass ? { deviceClass } : {}), ...(model ? { model } : {}), ...(vendor ? { manufacturer: vendor } : {}),
    };
    const known: Known = {
      deviceId, friendlyName,
      byProperty: new Map(properties.map((p) => [p.property, p])),
      byCapability: new Map(properties.map((p) => [p.capability.id, p])),
    };
    return [{ device, known }];
  }

  /** One source's scenes now: new ones added, gone ones removed. */
  private replaceScenes(source: 'devices' | 'groups', fresh: readonly Z2mScene[]): void {
    const held = this.scenes[source];
    const ids = new Set(fresh.map((s) => s.device.id));
    for (const id of [...held.keys()]) if (!ids.has(id)) { held.delete(id); this.ctx!.registry.remove(id); }
    for (const s of fresh) { held.set(s.device.id, s); this.ctx!.registry.upsert(s.device); }
  }

  private onState(topic: string, known: Known, payload: Buffer): void {
    const obj = parseJson(topic, payload);
    if (!isObject(obj)) throw invalid(topic, 'device state must be a JSON object');
    const values: Record<string, StateValue> = {};
    for (const [property, raw] of Object.entries(obj)) {
      const map = known.byProperty.get(property);
      if (!map) continue;
      const v = normaliseValue(map, raw);
      if (v !== undefined) values[map.capability.id] = v;
    }
    this.ctx!.registry.updateState(known.deviceId, values);
  }

  private onAvailability(topic: string, known: Known, payload: Buffer): void {
    const raw = text(payload);
    let state = raw;
    if (raw.startsWith('{')) {
      const obj = parseJson(topic, payload);
      state = isObject(obj) ? String(obj['state'] ?? '') : '';
    }
    if (state !== 'online' && state !== 'offline') throw invalid(topic, 'availability must be online or offline');
    this.ctx!.registry.setAvailable(known.deviceId, state === 'online');
  }

  commands(device: Device, op: DeviceOperation): DeviceCommand[] {
    const scene = this.scenes.groups.get(device.id) ?? this.scenes.devices.get(device.id);
    if (scene && op.power === 'on') {
      return [{ adapter: this.id, deviceId: device.id, topic: `${this.baseTopic}/${scene.target}/set`, payload: JSON.stringify({ scene_recall: scene.sceneId }), qos: 1, retain: false }];
    }
    const known = this.byDeviceId.get(device.id);
    if (!known) throw new HearthError('device-unknown', 'bug', `zigbee2mqtt has no device ${device.name}`);
    const set: Record<string, unknown> = {};
    const prop = (cap: string) => {
      const p = known.byCapability.get(cap);
      if (!p || !p.capability.writable) throw new HearthError('operation-unsupported', 'input', `${device.name} cannot change ${cap}`, { device: device.name, capability: cap });
      return p;
    };
    if (op.power) {
      const p = prop('power');
      set[p.property] = op.power === 'on' ? (p.valueOn ?? 'ON') : op.power === 'off' ? (p.valueOff ?? 'OFF') : 'TOGGLE';
    }
    if (op.lock) {
      const p = prop('lock');
      set[p.property] = op.lock === 'lock' ? (p.valueOn ?? 'LOCK') : (p.valueOff ?? 'UNLOCK');
    }
    if (op.cover) {
      const p = prop('cover');
      set[p.property] = op.cover === 'open' ? 'OPEN' : op.cover === 'close' ? 'CLOSE' : 'STOP';
    }
    if (op.positionPct !== undefined) set[prop('position').property] = Math.round(op.positionPct);
    if (op.brightnessPct !== undefined) {
      const p = prop('brightness');
      const max = p.capability.max ?? 254;
      set[p.property] = Math.round((op.brightnessPct / 100) * max);
    }
    if (op.colorTempMired !== undefined) {
      const p = prop('color_temp');
      set[p.property] = clamp(Math.round(op.colorTempMired), p.capability.min, p.capability.max);
    }
    if (op.colorRgb) {
      const p = prop('color');
      set[p.property] = { r: op.colorRgb[0], g: op.colorRgb[1], b: op.colorRgb[2] };
    }
    if (op.targetTemperature !== undefined) set[prop('target_temperature').property] = op.targetTemperature;
    if (Object.keys(set).length === 0) throw new HearthError('operation-unsupported', 'input', `Nothing to send to ${device.name}`);
    return [{ adapter: this.id, deviceId: device.id, topic: `${this.baseTopic}/${known.friendlyName}/set`, payload: JSON.stringify(set), qos: 1, retain: false }];
  }
}

function clamp(v: number, min?: number, max?: number): number {
  return Math.min(max ?? v, Math.max(min ?? v, v));
}

function normaliseValue(map: PropertyMap, raw: unknown): StateValue | undefined {
  const cap = map.capability;
  if (cap.kind === 'binary') {
    if (raw === map.valueOn || raw === true) return cap.id === 'lock' ? 'locked' : cap.id.startsWith('power') ? 'on' : true;
    if (raw === map.valueOff || raw === false) return cap.id === 'lock' ? 'unlocked' : cap.id.startsWith('power') ? 'off' : false;
    return undefined;
  }
  if (cap.kind === 'numeric') return num(raw);
  if (cap.id === 'cover' && typeof raw === 'string') return raw.toLowerCase() === 'open' ? 'open' : raw.toLowerCase() === 'close' ? 'closed' : raw.toLowerCase();
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return undefined;
}
