/**
 * Tasmota native discovery: `tasmota/discovery/<MAC>/config` names the device, its relays (`rl`,
 * `fn`) and its topic layout (`ft` with %prefix%/%topic%); state arrives on `stat/<t>/POWER[n]`,
 * `stat/<t>/RESULT`, `tele/<t>/STATE` and `tele/<t>/SENSOR`; commands go to `cmnd/<t>/POWER[n]`.
 * A light relay (`rl` 2) of a device with a light subtype (`lt_st` >= 1: dimmer, CT, RGB...) also
 * dims: `cmnd/<t>/Dimmer` 0-100, read back from `Dimmer` in RESULT and STATE. Tasmota drives one
 * light channel set per device, so only the first light relay gets the dimmer.
 * Each relay is one Device; sensors attach to the first relay's device (or to a sensor device).
 */
import type { Capability, Device, DeviceOperation, StateValue } from '../../runtime/types/device.js';
import type { DeviceCommand } from '../../runtime/types/pipeline.js';
import { HearthError } from '../../runtime/types/errors.js';
import type { AdapterContext, DeviceAdapter } from '../adapter.js';
import { invalid, isObject, num, onOff, parseObject, str, text, type JsonObject } from '../parse.js';

interface Relay { readonly index: number; readonly deviceId: string; readonly light: boolean; readonly dimmer: boolean }
interface TasmotaDevice {
  readonly mac: string;
  readonly name: string;
  readonly topics: { cmnd: string; stat: string; tele: string };
  readonly relays: Relay[];
  readonly sensorDeviceId: string;
  readonly onWord: string;
  readonly offWord: string;
}

const SENSOR_CLASS: Record<string, string> = { Temperature: 'temperature', Humidity: 'humidity', Pressure: 'pressure', Illuminance: 'illuminance', CarbonDioxide: 'carbon_dioxide' };

export class TasmotaAdapter implements DeviceAdapter {
  readonly id = 'tasmota' as const;
  private ctx: AdapterContext | undefined;
  private readonly byMac = new Map<string, TasmotaDevice>();
  /** stat/tele topic prefix -> device */
  private readonly byTopicPrefix = new Map<string, TasmotaDevice>();

  constructor(private readonly discoveryPrefix: string) {}

  start(ctx: AdapterContext): void {
    this.ctx = ctx;
    ctx.subscribe(`${this.discoveryPrefix}/+/config`);
  }

  handle(topic: string, payload: Buffer): boolean {
    if (topic.startsWith(`${this.discoveryPrefix}/`)) {
      if (topic.endsWith('/config')) this.onDiscovery(topic, payload);
      return true;
    }
    const slash = topic.lastIndexOf('/');
    const dev = this.byTopicPrefix.get(topic.slice(0, slash + 1));
    if (!dev) return false;
    const leaf = topic.slice(slash + 1);
    if (topic.startsWith(dev.topics.stat)) this.onStat(topic, dev, leaf, payload);
    else this.onTele(topic, dev, leaf, payload);
    return true;
  }

  private onDiscovery(topic: string, payload: Buffer): void {
    const mac = topic.slice(this.discoveryPrefix.length + 1, -'/config'.length);
    if (payload.length === 0) { this.forget(mac); return; }
    const cfg = parseObject(topic, payload);
    const t = str(cfg['t']);
    const ft = str(cfg['ft']) ?? '%prefix%/%topic%/';
    if (!t || !/^[A-Za-z0-9_.-]+$/.test(t)) throw invalid(topic, '"t" (device topic) is missing or has characters MQTT topics cannot hold');
    const tp = Array.isArray(cfg['tp']) ? cfg['tp'].map((x) => str(x)) : [];
    const full = (prefix: string) => ft.replace('%prefix%', prefix).replace('%topic%', t).replace('%hostname%', str(cfg['hn']) ?? t).replace('%id%', mac.slice(-6));
    const topics = { cmnd: full(tp[0] ?? 'cmnd'), stat: full(tp[1] ?? 'stat'), tele: full(tp[2] ?? 'tele') };
    if (!topics.stat.endsWith('/') || [topics.cmnd, topics.stat, topics.tele].some((x) => x.includes('#') || x.includes('+') || x.includes('%'))) {
      throw invalid(topic, `full topic "${ft}" does not give usable topics`);
    }
    const dn = str(cfg['dn']) ?? str(cfg['hn']) ?? t;
    const fn = Array.isArray(cfg['fn']) ? cfg['fn'] : [];
    const rl = Array.isArray(cfg['rl']) ? cfg['rl'] : [];
    const state = Array.isArray(cfg['state']) ? cfg['state'] : [];
    const relays: Relay[] = [];
    const relayIdx = rl.map((r, i) => ({ r: num(r) ?? 0, i })).filter((x) => x.r === 1 || x.r === 2);
    const dims = (num(cfg['lt_st']) ?? 0) >= 1;
    const firstLight = relayIdx.find((x) => x.r === 2)?.i;
    for (const { r, i } of relayIdx) relays.push({ index: i, deviceId: `tasmota:${mac}:${i + 1}`, light: r === 2, dimmer: dims && i === firstLight });
    this.forget(mac);
    const dev: TasmotaDevice = {
      mac, name: dn, topics, relays, sensorDeviceId: relays[0]?.deviceId ?? `tasmota:${mac}:sensor`,
      offWord: str(state[0]) ?? 'OFF', onWord: str(state[1]) ?? 'ON',
    };
    this.byMac.set(mac, dev);
    this.byTopicPrefix.set(topics.stat, dev);
    this.byTopicPrefix.set(topics.tele, dev);
    for (const r of relays) {
      const name = str(fn[r.index]) ?? (relays.length === 1 ? dn : `${dn} ${r.index + 1}`);
      const device: Device = {
        id: r.deviceId, adapter: 'tasmota', name, aliases: [], domain: r.light ? 'light' : 'switch',
        capabilities: {
          power: { id: 'power', kind: 'binary', readable: true, writable: true },
          ...(r.dimmer ? { brightness: { id: 'brightness', kind: 'numeric', readable: true, writable: true, min: 0, max: 100 } } : {}),
        },
        ...(str(cfg['md']) ? { model: str(cfg['md'])! } : {}), manufacturer: 'Tasmota',
      };
      this.ctx!.registry.upsert(device);
    }
    this.ctx!.subscribe(`${topics.stat}+`);
    this.ctx!.subscribe(`${topics.tele}+`);
  }

  private forget(mac: string): void {
    const old = this.byMac.get(mac);
    if (!old) return;
    this.byMac.delete(mac);
    this.byTopicPrefix.delete(old.topics.stat);
    this.byTopicPrefix.delete(old.topics.tele);
    this.ctx!.unsubscribe(`${old.topics.stat}+`);
    this.ctx!.unsubscribe(`${old.topics.tele}+`);
    for (const r of old.relays) this.ctx!.registry.remove(r.deviceId);
  }

  private relayFor(dev: TasmotaDevice, key: string): Relay | undefined {
    const m = /^POWER(\d*)$/.exec(key);
    if (!m) return undefined;
    const n = m[1] === '' ? 1 : Number(m[1]);
    return dev.relays.find((r) => r.index === n - 1);
  }

  private applyPower(dev: TasmotaDevice, key: string, value: unknown): void {
    if (key === 'Dimmer') {
      const pct = num(value);
      const light = dev.relays.find((r) => r.dimmer);
      if (light && pct !== undefined && pct >= 0 && pct <= 100) this.ctx!.registry.updateState(light.deviceId, { brightness: pct });
      return;
    }
    const relay = this.relayFor(dev, key);
    const v = onOff(value, dev.onWord, dev.offWord);
    if (relay && v) this.ctx!.registry.updateState(relay.deviceId, { power: v });
  }

  private onStat(topic: string, dev: TasmotaDevice, leaf: string, payload: Buffer): void {
    if (leaf.startsWith('POWER')) {
      const v = text(payload);
      if (!onOff(v, dev.onWord, dev.offWord)) throw invalid(topic, `power state must be ${dev.onWord} or ${dev.offWord}`);
      this.applyPower(dev, leaf, v);
    } else if (leaf === 'RESULT') {
      const obj = parseObject(topic, payload);
      for (const [k, v] of Object.entries(obj)) this.applyPower(dev, k, v);
    }
  }

  private onTele(topic: string, dev: TasmotaDevice, leaf: string, payload: Buffer): void {
    if (leaf === 'LWT') {
      const s = text(payload);
      for (const r of dev.relays) this.ctx!.registry.setAvailable(r.deviceId, s === 'Online');
    } else if (leaf === 'STATE') {
      const obj = parseObject(topic, payload);
      for (const [k, v] of Object.entries(obj)) this.applyPower(dev, k, v);
    } else if (leaf === 'SENSOR') {
      this.onSensor(dev, parseObject(topic, payload));
    }
  }

  private onSensor(dev: TasmotaDevice, obj: JsonObject): void {
    const values: Record<string, StateValue> = {};
    const caps: Record<string, Capability> = {};
    const unit = str(obj['TempUnit']) ?? 'C';
    for (const [sensor, reading] of Object.entries(obj)) {
      if (!isObject(reading)) continue;
      for (const [field, raw] of Object.entries(reading)) {
        const cls = SENSOR_CLASS[field];
        const v = num(raw);
        if (!cls || v === undefined || caps[cls]) continue;
        caps[cls] = { id: cls, kind: 'numeric', readable: true, writable: false, deviceClass: cls, ...(cls === 'temperature' ? { unit: `°${unit}` } : {}) };
        values[cls] = v;
      }
      void sensor;
    }
    if (Object.keys(caps).length === 0) return;
    const reg = this.ctx!.registry;
    const existing = reg.get(dev.sensorDeviceId)?.device;
    const missing = Object.keys(caps).some((c) => !existing?.capabilities[c]);
    if (missing) {
      const base: Device = existing ?? { id: dev.sensorDeviceId, adapter: 'tasmota', name: dev.name, aliases: [], domain: 'sensor', capabilities: {}, manufacturer: 'Tasmota' };
      reg.upsert({ ...base, capabilities: { ...caps, ...base.capabilities } });
    }
    reg.updateState(dev.sensorDeviceId, values);
  }

  commands(device: Device, op: DeviceOperation): DeviceCommand[] {
    for (const dev of this.byMac.values()) {
      const relay = dev.relays.find((r) => r.deviceId === device.id);
      if (!relay) continue;
      if (op.brightnessPct !== undefined && relay.dimmer) {
        return [{ adapter: this.id, deviceId: device.id, topic: `${dev.topics.cmnd}Dimmer`, payload: String(Math.round(op.brightnessPct)), qos: 1, retain: false }];
      }
      if (!op.power) throw new HearthError('operation-unsupported', 'input', `${device.name} can only be switched on and off`, { device: device.name });
      const key = dev.relays.length === 1 ? 'POWER' : `POWER${relay.index + 1}`;
      const payload = op.power === 'on' ? 'ON' : op.power === 'off' ? 'OFF' : 'TOGGLE';
      return [{ adapter: this.id, deviceId: device.id, topic: `${dev.topics.cmnd}${key}`, payload, qos: 1, retain: false }];
    }
    throw new HearthError('device-unknown', 'bug', `tasmota has no device ${device.name}`);
  }
}
