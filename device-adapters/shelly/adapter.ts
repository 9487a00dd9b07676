/**
 * Shelly devices over MQTT.
 * Gen2+: `<id>/status/switch:<n>` JSON ({output, apower, temperature}), `<id>/online`, commands as
 *   JSON-RPC on `<id>/rpc` ({"method": "Switch.Set", "params": {"id": n, "on": true}}). Names are
 *   asked for with `Shelly.GetConfig`, answered on `<src>/rpc`.
 *   https://shelly-api-docs.shelly.cloud/gen2/General/RPCChannels#mqtt
 * Gen1: `shellies/<id>/relay/<n>` "on"/"off", commands on `.../relay/<n>/command`,
 *   rollers on `shellies/<id>/roller/<n>` with `/command` and `/command/pos`.
 *   https://shelly-api-docs.shelly.cloud/gen1/#shelly1-shelly1pm-mqtt
 */
import type { Device, DeviceOperation } from '../../runtime/types/device.js';
import type { DeviceCommand } from '../../runtime/types/pipeline.js';
import { HearthError } from '../../runtime/types/errors.js';
import type { AdapterContext, DeviceAdapter } from '../adapter.js';
import { invalid, isObject, num, parseObject, str, text } from '../parse.js';

const GEN2_STATUS = /^([A-Za-z0-9_-]+)\/status\/(switch|cover):(\d{1,2})$/;
const GEN1 = /^([A-Za-z0-9_-]+)\/(relay|roller)\/(\d{1,2})(\/power|\/pos)?$/;

export class ShellyAdapter implements DeviceAdapter {
  readonly id = 'shelly' as const;
  private ctx: AdapterContext | undefined;
  private readonly names = new Map<string, string>();
  private readonly asked = new Set<string>();
  private rpcId = 1;

  constructor(private readonly gen1Prefix: string, private readonly configNames: Readonly<Record<string, string>>, private readonly hubSrc: string) {
    for (const [k, v] of Object.entries(configNames)) this.names.set(k, v);
  }

  start(ctx: AdapterContext): void {
    this.ctx = ctx;
    ctx.subscribe('+/status/+');
    ctx.subscribe(`${this.hubSrc}/rpc`);
    ctx.subscribe(`${this.gen1Prefix}/+/relay/+`);
    ctx.subscribe(`${this.gen1Prefix}/+/roller/+`);
    ctx.subscribe(`${this.gen1Prefix}/+/roller/+/pos`);
  }

  handle(topic: string, payload: Buffer): boolean {
    if (topic === `${this.hubSrc}/rpc`) { this.onRpcReply(topic, payload); return true; }
    if (topic.startsWith(`${this.gen1Prefix}/`)) {
      const m = GEN1.exec(topic.slice(this.gen1Prefix.length + 1));
      if (!m) return true; // another Gen1 topic (announce, input...): ours, not used
      this.onGen1(topic, m[1]!, m[2] as 'relay' | 'roller', Number(m[3]), m[4], payload);
      return true;
    }
    const m = GEN2_STATUS.exec(topic);
    if (!m) return false;
    this.onGen2(topic, m[1]!, m[2] as 'switch' | 'cover', Number(m[3]), payload);
    return true;
  }

  private nameFor(shellyId: string, channel: number, fallbackKind: string): string {
    return this.names.get(`${shellyId}:${channel}`) ?? `${shellyId} ${fallbackKind} ${channel}`;
  }

  private ensure(deviceId: string, shellyId: string, channel: number, kind: 'switch' | 'cover'): void {
    const reg = this.ctx!.registry;
    const name = this.nameFor(shellyId, channel, kind);
    const existing = reg.get(deviceId);
    if (existing && existing.device.name === name) return;
    const device: Device = kind === 'switch'
      ? { id: deviceId, adapter: 'shelly', name, aliases: [], domain: 'switch', manufacturer: 'Shelly',
          capabilities: { power: { id: 'power', kind: 'binary', readable: true, writable: true }, power_w: { id: 'power_w', kind: 'numeric', readable: true, writable: false, unit: 'W', deviceClass: 'power' } } }
      : { id: deviceId, adapter: 'shelly', name, aliases: [], domain: 'cover', manufacturer: 'Shelly',
          capabilities: { cover: { id: 'cover', kind: 'enum', readable: true, writable: true }, position: { id: 'position', kind: 'numeric', readable: true, writable: true, min: 0, max: 100 } } };
    reg.upsert(device);
  }

  private onGen2(topic: string, shellyId: string, kind: 'switch' | 'cover', channel: number, payload: Buffer): void {
    const obj = parseObject(topic, payload);
    const deviceId = `shelly:${shellyId}:${kind}:${channel}`;
    if (kind === 'switch' && typeof obj['output'] !== 'boolean') throw invalid(topic, '"output" must be true or false');
    this.ensure(deviceId, shellyId, channel, kind);
    if (!this.asked.has(shellyId) && !this.names.has(`${shellyId}:${channel}`)) {
      this.asked.add(shellyId);
      this.ctx!.publish(`${shellyId}/rpc`, JSON.stringify({ id: this.rpcId++, src: this.hubSrc, method: 'Shelly.GetConfig' }));
    }
    if (kind === 'switch') {
      const apower = num(obj['apower']);
      this.ctx!.registry.updateState(deviceId, { power: obj['output'] ? 'on' : 'off', ...(apower !== undefined ? { power_w: apower } : {}) });
    } else {
      const pos = num(obj['current_pos']);
      const state = str(obj['state']);
      this.ctx!.registry.updateState(deviceId, { ...(state ? { cover: state } : {}), ...(pos !== undefined ? { position: pos } : {}) });
    }
  }

  /**
   * A reply to Shelly.GetConfig: {src: "<shelly id>", result: {"sys": {"device": {"name": "Porch Light"}}, "switch:0": {name: null}}}.
   * A channel without a name of its own takes the device's (a Shelly Plus 1 is usually named for what it switches);
   * with several channels, the device's name and the channel's number.
   */
  private onRpcReply(topic: string, payload: Buffer): void {
    const obj = parseObject(topic, payload);
    const shellyId = str(obj['src']);
    const result = obj['result'];
    if (!shellyId || !isObject(result)) return;
    const sys = isObject(result['sys']) ? result['sys'] : {};
    const deviceName = isObject(sys['device']) ? str(sys['device']['name']) : undefined;
    const channels = Object.keys(result).filter((k) => /^(switch|cover):\d{1,2}$/.test(k));
    for (const [key, cfg] of Object.entries(result)) {
      const m = /^(switch|cover):(\d{1,2})$/.exec(key);
      if (!m || !isObject(cfg)) continue;
      const channel = Number(m[2]);
      const name = str(cfg['name']) ?? (deviceName ? (channels.length === 1 ? deviceName : `${deviceName} ${channel + 1}`) : undefined);
      if (!name || this.configNames[`${shellyId}:${channel}`]) continue;
      this.names.set(`${shellyId}:${channel}`, name);
      const deviceId = `shelly:${shellyId}:${m[1]}:${channel}`;
      if (this.ctx!.registry.get(deviceId)) this.ensure(deviceId, shellyId, channel, m[1] as 'switch' | 'cover');
    }
  }

  private onGen1(topic: string, shellyId: string, kind: 'relay' | 'roller', channel: number, sub: string | undefined, payload: Buffer): void {
    const v = text(payload);
    const deviceId = `shelly:${this.gen1Prefix}/${shellyId}:${kind}:${channel}`;
    if (kind === 'relay') {
      if (sub === '/power') {
        const w = num(v);
        if (w === undefined) throw invalid(topic, 'power must be a number');
        if (this.ctx!.registry.get(deviceId)) this.ctx!.registry.updateState(deviceId, { power_w: w });
        return;
      }
      if (v !== 'on' && v !== 'off' && v !== 'overpower') throw invalid(topic, 'relay state must be on or off');
      this.ensure(deviceId, shellyId, channel, 'switch');
      this.ctx!.registry.updateState(deviceId, { power: v === 'on' ? 'on' : 'off' });
    } else {
      this.ensure(deviceId, shellyId, channel, 'cover');
      if (sub === '/pos') {
        const p = num(v);
        if (p === undefined || p < -1 || p > 100) throw invalid(topic, 'roller position must be 0..100');
        if (p >= 0) this.ctx!.registry.updateState(deviceId, { position: p });
      } else if (['open', 'close', 'stop'].includes(v)) {
        this.ctx!.registry.updateState(deviceId, { cover: v === 'close' ? 'closed' : v === 'open' ? 'open' : 'stopped' });
      } else throw invalid(topic, 'roller state must be open, close or stop');
    }
  }

  commands(device: Device, op: DeviceOperation): DeviceCommand[] {
    const parts = device.id.split(':'); // shelly:<id>:<kind>:<n>
    const [, shellyId, kind, n] = parts;
    if (!shellyId || !kind || n === undefined) throw new HearthError('device-unknown', 'bug', `shelly has no device ${device.name}`);
    const channel = Number(n);
    const cmd = (topic: string, payload: string): DeviceCommand => ({ adapter: this.id, deviceId: device.id, topic, payload, qos: 1, retain: false });
    const gen1 = shellyId.startsWith(`${this.gen1Prefix}/`);
    if (kind === 'switch' || kind === 'relay') {
      if (!op.power) throw new HearthError('operation-unsupported', 'input', `${device.name} can only be switched on and off`);
      if (gen1) return [cmd(`${shellyId}/relay/${channel}/command`, op.power)];
      const params = op.power === 'toggle' ? { id: channel } : { id: channel, on: op.power === 'on' };
      return [cmd(`${shellyId}/rpc`, JSON.stringify({ id: this.rpcId++, src: this.hubSrc, method: op.power === 'toggle' ? 'Switch.Toggle' : 'Switch.Set', params }))];
    }
    if (op.positionPct !== undefined) {
      if (gen1) return [cmd(`${shellyId}/roller/${channel}/command/pos`, String(Math.round(op.positionPct)))];
      return [cmd(`${shellyId}/rpc`, JSON.stringify({ id: this.rpcId++, src: this.hubSrc, method: 'Cover.GoToPosition', params: { id: channel, pos: Math.round(op.positionPct) } }))];
    }
    if (op.cover) {
      if (gen1) return [cmd(`${shellyId}/roller/${channel}/command`, op.cover)];
      const method = op.cover === 'open' ? 'Cover.Open' : op.cover === 'close' ? 'Cover.Close' : 'Cover.Stop';
      return [cmd(`${shellyId}/rpc`, JSON.stringify({ id: this.rpcId++, src: this.hubSrc, method, params: { id: channel } }))];
    }
    throw new HearthError('operation-unsupported', 'input', `${device.name} cannot do that`);
  }
}
