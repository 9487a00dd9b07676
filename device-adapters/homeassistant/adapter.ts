/**
 * Home Assistant MQTT discovery: `<prefix>/<component>/[<node_id>/]<object_id>/config` and the
 * device-based form `<prefix>/device/<object_id>/config` with `cmps`. Entities that share a device
 * become one Device; an empty config payload removes the entity.
 */
import type { Capability, Device, DeviceOperation } from '../../runtime/types/device.js';
import type { DeviceCommand } from '../../runtime/types/pipeline.js';
import { HearthError } from '../../runtime/types/errors.js';
import type { AdapterContext, DeviceAdapter } from '../adapter.js';
import { invalid, isObject, parseObject, safeTopic, str, text, type JsonObject } from '../parse.js';
import { normaliseConfig } from './abbreviations.js';
import type { Vars } from './jinja.js';
import { buildEntity, COMPONENTS, DOMAIN_RANK, TemplateUnsupported, type Component, type Entity } from './entity.js';

export class HomeAssistantAdapter implements DeviceAdapter {
  readonly id = 'homeassistant' as const;
  private ctx: AdapterContext | undefined;
  /** discovery topic (+ component id for device-based discovery) -> entity */
  private readonly entities = new Map<string, Entity>();
  /** state/availability topic -> entities reading it: a state message touches only its readers. */
  private readonly byTopic = new Map<string, Set<Entity>>();

  /**
   * `skipZigbee2mqtt`: configs zigbee2mqtt publishes for its own devices (identifiers zigbee2mqtt_<ieee>) are left to
   * its adapter. `skipDevices`: device identifiers whose configs are not read (the hub's own).
   */
  constructor(private readonly prefix: string, private readonly skipZigbee2mqtt = false, private readonly skipDevices: readonly string[] = []) {}

  start(ctx: AdapterContext): void {
    this.ctx = ctx;
    ctx.subscribe(`${this.prefix}/#`);
  }

  handle(topic: string, payload: Buffer): boolean {
    if (topic.startsWith(`${this.prefix}/`) && topic.endsWith('/config')) {
      this.onConfig(topic, payload);
      return true;
    }
    const readers = this.byTopic.get(topic);
    if (!readers) return false;
    for (const e of readers) {
      for (const r of e.readers) {
        if (r.topic !== topic) continue;
        const raw = r.template(text(payload));
        if (raw === undefined || raw === null) continue;
        const v = r.convert(raw);
        if (v !== undefined) this.ctx!.registry.updateState(this.deviceId(e), { [r.capability]: v });
      }
      for (const a of e.availability) {
        if (a.topic !== topic) continue;
        const s = a.template ? String(a.template(text(payload)) ?? '') : text(payload);
        if (s === a.on || s === a.off) this.ctx!.registry.setAvailable(this.deviceId(e), s === a.on);
      }
    }
    return true;
  }

  private onConfig(topic: string, payload: Buffer): void {
    const parts = topic.slice(this.prefix.length + 1).split('/');
    if (parts.length < 3 || parts.length > 4) throw invalid(topic, 'discovery topic must be <prefix>/<component>/[<node_id>/]<object_id>/config');
    const component = parts[0]!;
    const objectId = parts[parts.length - 2]!;
    if (payload.length === 0) {
      for (const key of [...this.entities.keys()]) if (key === topic || key.startsWith(`${topic}#`)) this.removeEntity(key);
      return;
    }
    const cfg = normaliseConfig(parseObject(topic, payload));
    if (this.skipZigbee2mqtt && fromZigbee2mqtt(cfg)) return;
    if (identifiersOf(cfg).some((i) => this.skipDevices.includes(String(i)))) return;
    const built: Entity[] = [];
    if (component === 'device') {
      const comps = isObject(cfg['components']) ? cfg['components'] : undefined;
      if (!comps) throw invalid(topic, 'device discovery needs "cmps"/"components"');
      const shared: JsonObject = { ...cfg };
      delete shared['components'];
      for (const [cid, c] of Object.entries(comps)) {
        const comp = str((c as JsonObject)['platform']);
        if (!comp || !(COMPONENTS as readonly string[]).includes(comp)) continue;
        // One component the hub cannot read (an unsupported template) is refused on its own: the device's others stay.
        try {
          built.push(this.build(topic, `${topic}#${cid}`, comp as Component, cid, { ...shared, ...(c as JsonObject) }));
        } catch (err) {
          this.ctx!.refuse?.('template-unsupported', topic, `${cid}: ${(err as Error).message}`);
        }
      }
    } else {
      if (!(COMPONENTS as readonly string[]).includes(component)) return; // a component Hearth does not use
      built.push(this.build(topic, topic, component as Component, objectId, cfg));
    }
    // A re-sent device config replaces all its components.
    for (const key of [...this.entities.keys()]) if (key.startsWith(`${topic}#`) && !built.some((b) => b.key === key)) this.removeEntity(key);
    for (const e of built) {
      for (const u of e.unsupported) this.ctx!.refuse?.('template-unsupported', topic, u);
      const old = this.entities.get(e.key);
      if (old) this.release(old);
      this.entities.set(e.key, e);
      this.claim(e);
      this.publishDevice(e.deviceKey);
    }
  }

  private build(topic: string, key: string, component: Component, objectId: string, cfg: JsonObject): Entity {
    try {
      return buildEntity(key, component, objectId, cfg);
    } catch (err) {
      if (err instanceof TemplateUnsupported) throw invalid(topic, err.message);
      throw err;
    }
  }

  private topicsOf(e: Entity): Set<string> {
    return new Set([...e.readers.map((r) => r.topic), ...e.availability.map((a) => a.topic)]);
  }

  private claim(e: Entity): void {
    for (const t of this.topicsOf(e)) {
      let users = this.byTopic.get(t);
      if (!users) { this.byTopic.set(t, (users = new Set())); this.ctx!.subscribe(t); }
      users.add(e);
    }
  }

  private release(e: Entity): void {
    for (const t of this.topicsOf(e)) {
      const users = this.byTopic.get(t);
      users?.delete(e);
      if (users && users.size === 0) { this.byTopic.delete(t); this.ctx!.unsubscribe(t); }
    }
  }

  private removeEntity(key: string): void {
    const e = this.entities.get(key);
    if (!e) return;
    this.entities.delete(key);
    this.release(e);
    this.publishDevice(e.deviceKey);
  }

  private deviceId(e: Entity): string {
    return `homeassistant:${e.deviceKey}`;
  }

  private entitiesOf(deviceKey: string): Entity[] {
    return [...this.entities.values()].filter((e) => e.deviceKey === deviceKey);
  }

  /** Rebuilds the merged Device from all entities that share a device block. */
  private publishDevice(deviceKey: string): void {
    const list = this.entitiesOf(deviceKey);
    const id = `homeassistant:${deviceKey}`;
    if (list.length === 0) { this.ctx!.registry.remove(id); return; }
    const capabilities: Record<string, Capability> = {};
    for (const e of list) {
      for (const c of e.capabilities) {
        const capId = capabilities[c.id] ? `${c.id}_${e.objectId}` : c.id;
        capabilities[capId] = { ...c, id: capId };
      }
    }
    const first = list[0]!;
    const domain = DOMAIN_RANK.find((d) => list.some((e) => e.component === d)) ?? 'sensor';
    const main = list.find((e) => e.component === domain) ?? first;
    const name = first.deviceName ?? main.entityName ?? main.objectId.replace(/_/g, ' ');
    const device: Device = {
      id, adapter: 'homeassistant', name, aliases: [], domain, capabilities,
      ...(main.deviceClass ? { deviceClass: main.deviceClass } : {}),
      ...(first.suggestedArea ? { area: first.suggestedArea } : {}),
      ...(first.model ? { model: first.model } : {}), ...(first.manufacturer ? { manufacturer: first.manufacturer } : {}),
    };
    this.ctx!.registry.upsert(device);
  }

  commands(device: Device, op: DeviceOperation): DeviceCommand[] {
    const deviceKey = device.id.slice('homeassistant:'.length);
    const list = this.entitiesOf(deviceKey);
    const out: DeviceCommand[] = [];
    const send = (topic: unknown, payload: unknown) => {
      const t = safeTopic(topic);
      if (!t) throw new HearthError('operation-unsupported', 'input', `${device.name} has no command topic for this`, { device: device.name });
      out.push({ adapter: this.id, deviceId: device.id, topic: t, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), qos: 1, retain: false });
    };
    const entity = (...components: Component[]) => {
      const e = list.find((x) => components.includes(x.component) && x.config['command_topic'] !== undefined) ?? list.find((x) => components.includes(x.component));
      if (!e) throw new HearthError('operation-unsupported', 'input', `${device.name} cannot do that`, { device: device.name });
      return e;
    };
    /** The payload through the entity's template for it, as HA renders it; one Hearth cannot evaluate sends nothing. */
    const render = (e: Entity, key: string, plain: unknown, vars: Vars = {}): string => {
      if (e.config[key] === undefined) return String(plain);
      const t = e.commandTemplates[key];
      if (!t) throw new HearthError('operation-unsupported', 'input', `${device.name}: its ${key} uses a template form Hearth does not evaluate, so nothing was sent`, { device: device.name, key });
      // A lock's `code` is the lock's own, which Hearth does not hold; the household PIN is never sent to a device.
      return t.render({ value: plain, code: '', entity_id: e.objectId, ...vars });
    };
    const light = list.find((x) => x.component === 'light');
    const lightWork = op.power || op.brightnessPct !== undefined || op.colorTempMired !== undefined || op.colorRgb;
    const brightness = (cfg: JsonObject, pct: number) => Math.round((pct / 100) * (Number(cfg['brightness_scale']) || 255));
    if (light && light.config['schema'] === 'json' && lightWork) {
      const cfg = light.config;
      const body: JsonObject = { state: op.power === 'off' ? 'OFF' : 'ON' };
      if (op.brightnessPct !== undefined) body['brightness'] = brightness(cfg, op.brightnessPct);
      if (op.colorTempMired !== undefined) body['color_temp'] = Math.round(op.colorTempMired);
      if (op.colorRgb) body['color'] = { r: op.colorRgb[0], g: op.colorRgb[1], b: op.colorRgb[2] };
      send(cfg['command_topic'], body);
      return out;
    }
    if (light && light.config['schema'] === 'template' && lightWork) {
      const off = op.power === 'off';
      const vars: Vars = off ? { state: 'off' } : {
        state: 'on', ...(op.brightnessPct !== undefined ? { brightness: Math.round((op.brightnessPct / 100) * 255) } : {}),
        ...(op.colorTempMired !== undefined ? { color_temp: Math.round(op.colorTempMired) } : {}),
        ...(op.colorRgb ? { red: op.colorRgb[0], green: op.colorRgb[1], blue: op.colorRgb[2] } : {}),
      };
      send(light.config['command_topic'], render(light, off ? 'command_off_template' : 'command_on_template', '', vars));
      return out;
    }
    // A button is pressed, a scene activated: "turn on" is all they do.
    const trigger = list.find((x) => x.component === 'button' || x.component === 'scene');
    if (trigger && op.power === 'on' && !list.some((x) => ['light', 'switch', 'fan'].includes(x.component))) {
      const payload = trigger.component === 'button' ? trigger.config['payload_press'] ?? 'PRESS' : trigger.config['payload_on'] ?? 'ON';
      send(trigger.config['command_topic'], render(trigger, 'command_template', payload));
      return out;
    }
    if (op.power) {
      const e = entity('light', 'switch', 'fan');
      const on = e.config['payload_on'] ?? 'ON', off = e.config['payload_off'] ?? 'OFF';
      if (op.power === 'toggle') throw new HearthError('operation-unsupported', 'input', `${device.name} cannot toggle`);
      send(e.config['command_topic'], render(e, 'command_template', op.power === 'on' ? on : off));
    }
    if (op.brightnessPct !== undefined) {
      const e = entity('light');
      send(e.config['brightness_command_topic'], render(e, 'brightness_command_template', brightness(e.config, op.brightnessPct)));
    }
    if (op.colorTempMired !== undefined) {
      const e = entity('light');
      send(e.config['color_temp_command_topic'], render(e, 'color_temp_command_template', Math.round(op.colorTempMired)));
    }
    if (op.colorRgb) {
      const e = entity('light'), [red, green, blue] = op.colorRgb;
      send(e.config['rgb_command_topic'], render(e, 'rgb_command_template', op.colorRgb.join(','), { red, green, blue }));
    }
    if (op.lock) {
      const e = entity('lock');
      send(e.config['command_topic'], render(e, 'command_template', op.lock === 'lock' ? e.config['payload_lock'] ?? 'LOCK' : e.config['payload_unlock'] ?? 'UNLOCK'));
    }
    if (op.cover) {
      const cfg = entity('cover').config;
      const p = op.cover === 'open' ? cfg['payload_open'] ?? 'OPEN' : op.cover === 'close' ? cfg['payload_close'] ?? 'CLOSE' : cfg['payload_stop'] ?? 'STOP';
      send(cfg['command_topic'], String(p));
    }
    if (op.positionPct !== undefined) {
      // HA sends the position in the device's range (position_closed..position_open); its template also gets the percent.
      const e = entity('cover');
      const open = Number(e.config['position_open'] ?? 100), closed = Number(e.config['position_closed'] ?? 0);
      const ranged = Math.round(closed + ((open - closed) * op.positionPct) / 100);
      send(e.config['set_position_topic'], render(e, 'set_position_template', ranged, { position: Math.round(op.positionPct), position_open: open, position_closed: closed }));
    }
    if (op.targetTemperature !== undefined) {
      const e = entity('climate');
      send(e.config['temperature_command_topic'], render(e, 'temperature_command_template', op.targetTemperature));
    }
    if (out.length === 0) throw new HearthError('operation-unsupported', 'input', `Nothing to send to ${device.name}`);
    return out;
  }
}

function identifiersOf(cfg: JsonObject): unknown[] {
  const dev = isObject(cfg['device']) ? cfg['device'] : undefined;
  return dev ? [dev['identifiers']].flat() : [];
}

function fromZigbee2mqtt(cfg: JsonObject): boolean {
  return identifiersOf(cfg).some((i) => typeof i === 'string' && i.startsWith('zigbee2mqtt_'));
}
