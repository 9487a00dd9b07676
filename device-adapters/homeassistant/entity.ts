/**
 * One Home Assistant discovery config -> one entity: its capabilities, how to read each from its
 * state topics, and how to command it. Defaults follow the MQTT integration's docs per component.
 */
import type { Capability, Domain, StateValue } from '../../runtime/types/device.js';
import { isObject, num, safeTopic, str, type JsonObject } from '../parse.js';
import { compileJinja, type Compiled } from './jinja.js';
import { compileTemplate, type Template } from './template.js';

/**
 * Command templates by key, with the variables Home Assistant gives each (its MQTT docs per component): the payload
 * Hearth would send plain is `value`; a cover's position is `position` in percent, `value` in the device's range.
 */
export const COMMAND_TEMPLATES: Readonly<Record<string, readonly string[]>> = {
  command_template: ['value', 'code'],
  brightness_command_template: ['value'], color_temp_command_template: ['value'], rgb_command_template: ['red', 'green', 'blue'],
  command_on_template: ['state', 'brightness', 'color_temp', 'red', 'green', 'blue', 'transition', 'flash', 'effect'],
  command_off_template: ['state', 'transition', 'flash'],
  set_position_template: ['value', 'position', 'position_open', 'position_closed', 'entity_id', 'tilt_min', 'tilt_max'],
  tilt_command_template: ['value', 'tilt_position', 'entity_id', 'position_open', 'position_closed', 'tilt_min', 'tilt_max'],
  temperature_command_template: ['value'], mode_command_template: ['value'], percentage_command_template: ['value'],
};

export const COMPONENTS = ['light', 'switch', 'sensor', 'binary_sensor', 'climate', 'cover', 'lock', 'fan', 'button', 'select', 'scene'] as const;
export type Component = (typeof COMPONENTS)[number];

export interface Reader {
  readonly topic: string;
  readonly capability: string;
  readonly template: Template;
  readonly convert: (v: string | number | boolean) => StateValue | undefined;
}

export interface Entity {
  readonly key: string;
  readonly component: Component;
  readonly objectId: string;
  readonly deviceKey: string;
  readonly deviceName: string | undefined;
  readonly entityName: string | undefined;
  readonly suggestedArea: string | undefined;
  readonly manufacturer: string | undefined;
  readonly model: string | undefined;
  readonly deviceClass: string | undefined;
  readonly capabilities: Capability[];
  readonly readers: Reader[];
  readonly availability: { topic: string; on: string; off: string; template?: Template }[];
  readonly config: JsonObject;
  /** Templates Hearth cannot evaluate: that state is not read, that command not sent (both reported); the rest works. */
  readonly unsupported: readonly string[];
  /** The entity's command templates that Hearth evaluates, by key (COMMAND_TEMPLATES). */
  readonly commandTemplates: Readonly<Record<string, Compiled>>;
}

/** Unsupported template: the entity stays controllable, its state is unknown. */
export class TemplateUnsupported extends Error {}

const eq = (a: unknown, b: unknown) => String(a).toLowerCase() === String(b).toLowerCase();

function onOffConverter(on: unknown, off: unknown) {
  return (v: string | number | boolean): StateValue | undefined => (eq(v, on) ? 'on' : eq(v, off) ? 'off' : undefined);
}

export function buildEntity(key: string, component: Component, objectId: string, cfg: JsonObject): Entity {
  const dev = isObject(cfg['device']) ? cfg['device'] : undefined;
  const ids = dev ? (Array.isArray(dev['identifiers']) ? dev['identifiers'][0] : dev['identifiers']) : undefined;
  const uniqueId = str(cfg['unique_id']);
  const deviceKey = typeof ids === 'string' || typeof ids === 'number' ? `dev:${ids}` : `ent:${uniqueId ?? key}`;
  const deviceClass = str(cfg['device_class']);
  const caps: Capability[] = [];
  const readers: Reader[] = [];
  const stateTopic = safeTopic(cfg['state_topic']);
  const commandTopic = safeTopic(cfg['command_topic']);
  const json = cfg['schema'] === 'json';
  const templated = cfg['schema'] === 'template';
  const unsupported: string[] = [];
  const tpl = (key: string): Template | undefined => {
    const src = str(cfg[key]);
    const t = compileTemplate(src);
    if (!t) unsupported.push(`${key} "${src}" uses a template form Hearth does not evaluate`);
    return t;
  };
  const commandTemplates: Record<string, Compiled> = {};
  for (const [k, vars] of Object.entries(COMMAND_TEMPLATES)) {
    const src = str(cfg[k]);
    if (src === undefined) continue;
    const c = compileJinja(src, Object.fromEntries(vars.map((v) => [v, 'scalar' as const])));
    if (c) commandTemplates[k] = c;
    else unsupported.push(`${k} "${src}" uses a template form Hearth does not evaluate`);
  }
  const read = (topic: string | undefined, capability: string, template: Template | undefined, convert: Reader['convert']) => {
    if (topic && template) readers.push({ topic, capability, template, convert });
  };
  const number = (v: string | number | boolean) => num(v);
  switch (component) {
    case 'switch': case 'fan': {
      const on = cfg['payload_on'] ?? 'ON', off = cfg['payload_off'] ?? 'OFF';
      caps.push({ id: 'power', kind: 'binary', readable: !!stateTopic, writable: !!commandTopic });
      read(stateTopic, 'power', tpl('value_template'), onOffConverter(cfg['state_on'] ?? on, cfg['state_off'] ?? off));
      break;
    }
    case 'light': {
      const scale = num(cfg['brightness_scale']) ?? 255;
      caps.push({ id: 'power', kind: 'binary', readable: !!stateTopic, writable: !!commandTopic });
      if (json) {
        const modes = Array.isArray(cfg['supported_color_modes']) ? cfg['supported_color_modes'] : [];
        const bright = cfg['brightness'] !== false;
        read(stateTopic, 'power', compileTemplate('{{ value_json.state }}')!, onOffConverter('ON', 'OFF'));
        if (bright) {
          caps.push({ id: 'brightness', kind: 'numeric', readable: !!stateTopic, writable: !!commandTopic, min: 0, max: scale });
          read(stateTopic, 'brightness', compileTemplate('{{ value_json.brightness }}')!, number);
        }
        if (modes.includes('color_temp')) caps.push({ id: 'color_temp', kind: 'numeric', readable: true, writable: !!commandTopic, min: num(cfg['min_mireds']) ?? 153, max: num(cfg['max_mireds']) ?? 500 });
        if (modes.some((m) => ['rgb', 'hs', 'xy', 'rgbw', 'rgbww'].includes(String(m)))) caps.push({ id: 'color', kind: 'text', readable: false, writable: !!commandTopic });
      } else if (templated) {
        // schema: template: commands are command_on_template / command_off_template on command_topic; state by templates.
        read(stateTopic, 'power', tpl('state_template'), onOffConverter('on', 'off'));
        if (cfg['brightness_template'] !== undefined) {
          caps.push({ id: 'brightness', kind: 'numeric', readable: !!stateTopic, writable: !!commandTopic, min: 0, max: 255 });
          read(stateTopic, 'brightness', tpl('brightness_template'), number);
        }
      } else {
        read(stateTopic, 'power', tpl('state_value_template'), onOffConverter(cfg['payload_on'] ?? 'ON', cfg['payload_off'] ?? 'OFF'));
        const bct = safeTopic(cfg['brightness_command_topic']);
        if (bct || cfg['brightness_state_topic']) {
          caps.push({ id: 'brightness', kind: 'numeric', readable: !!cfg['brightness_state_topic'], writable: !!bct, min: 0, max: scale });
          read(safeTopic(cfg['brightness_state_topic']), 'brightness', tpl('brightness_value_template'), number);
        }
        if (safeTopic(cfg['color_temp_command_topic'])) caps.push({ id: 'color_temp', kind: 'numeric', readable: false, writable: true, min: num(cfg['min_mireds']) ?? 153, max: num(cfg['max_mireds']) ?? 500 });
        if (safeTopic(cfg['rgb_command_topic'])) caps.push({ id: 'color', kind: 'text', readable: false, writable: true });
      }
      break;
    }
    case 'lock': {
      caps.push({ id: 'lock', kind: 'binary', readable: !!stateTopic, writable: !!commandTopic });
      const locked = cfg['state_locked'] ?? 'LOCKED', unlocked = cfg['state_unlocked'] ?? 'UNLOCKED';
      read(stateTopic, 'lock', tpl('value_template'), (v) => (eq(v, locked) ? 'locked' : eq(v, unlocked) ? 'unlocked' : undefined));
      break;
    }
    case 'cover': {
      caps.push({ id: 'cover', kind: 'enum', readable: !!stateTopic, writable: !!commandTopic, values: ['open', 'closed', 'opening', 'closing', 'stopped'] });
      const open = cfg['state_open'] ?? 'open', closed = cfg['state_closed'] ?? 'closed';
      read(stateTopic, 'cover', tpl('value_template'), (v) => (eq(v, open) ? 'open' : eq(v, closed) ? 'closed' : String(v).toLowerCase()));
      const posT = safeTopic(cfg['position_topic']);
      const setPosT = safeTopic(cfg['set_position_topic']);
      if (posT || setPosT) {
        caps.push({ id: 'position', kind: 'numeric', readable: !!posT, writable: !!setPosT, min: 0, max: 100 });
        read(posT, 'position', tpl('position_template'), number);
      }
      break;
    }
    case 'climate': {
      const tct = safeTopic(cfg['temperature_command_topic']);
      caps.push({ id: 'target_temperature', kind: 'numeric', readable: !!cfg['temperature_state_topic'], writable: !!tct, min: num(cfg['min_temp']) ?? 7, max: num(cfg['max_temp']) ?? 35, unit: '°C' });
      read(safeTopic(cfg['temperature_state_topic']), 'target_temperature', tpl('temperature_state_template'), number);
      const cur = safeTopic(cfg['current_temperature_topic']);
      if (cur) {
        caps.push({ id: 'temperature', kind: 'numeric', readable: true, writable: false, unit: '°C', deviceClass: 'temperature' });
        read(cur, 'temperature', tpl('current_temperature_template'), number);
      }
      const modeT = safeTopic(cfg['mode_state_topic']);
      if (modeT || cfg['mode_command_topic']) {
        caps.push({ id: 'hvac_mode', kind: 'enum', readable: !!modeT, writable: !!cfg['mode_command_topic'] });
        read(modeT, 'hvac_mode', tpl('mode_state_template'), (v) => String(v).toLowerCase());
      }
      break;
    }
    case 'sensor': {
      const id = deviceClass ?? objectId;
      const unit = str(cfg['unit_of_measurement']);
      caps.push({ id, kind: 'numeric', readable: true, writable: false, ...(unit ? { unit } : {}), ...(deviceClass ? { deviceClass } : {}) });
      read(stateTopic, id, tpl('value_template'), (v) => num(v) ?? String(v));
      break;
    }
    case 'button':
      caps.push({ id: 'press', kind: 'binary', readable: false, writable: !!commandTopic });
      break;
    case 'scene':
      caps.push({ id: 'activate', kind: 'binary', readable: false, writable: !!commandTopic });
      break;
    case 'select': {
      const options = Array.isArray(cfg['options']) ? cfg['options'].map(String) : [];
      caps.push({ id: objectId, kind: 'enum', readable: !!stateTopic, writable: !!commandTopic, values: options });
      read(stateTopic, objectId, tpl('value_template'), (v) => String(v));
      break;
    }
    case 'binary_sensor': {
      const id = deviceClass ?? objectId;
      caps.push({ id, kind: 'binary', readable: true, writable: false, ...(deviceClass ? { deviceClass } : {}) });
      const conv = onOffConverter(cfg['payload_on'] ?? 'ON', cfg['payload_off'] ?? 'OFF');
      read(stateTopic, id, tpl('value_template'), (v) => { const o = conv(v); return o === undefined ? undefined : o === 'on'; });
      break;
    }
  }
  const availability: Entity['availability'] = [];
  const avT = safeTopic(cfg['availability_topic']);
  const on = String(cfg['payload_available'] ?? 'online'), off = String(cfg['payload_not_available'] ?? 'offline');
  // zigbee2mqtt's discovery says availability as {"topic": "zigbee2mqtt/bridge/state", "value_template": "{{ value_json.state }}"}.
  const avTpl = (src: unknown) => (typeof src === 'string' ? compileTemplate(src) : undefined);
  if (avT) availability.push({ topic: avT, on, off, ...(avTpl(cfg['availability_template']) ? { template: avTpl(cfg['availability_template'])! } : {}) });
  if (Array.isArray(cfg['availability'])) {
    for (const a of cfg['availability']) {
      if (!isObject(a)) continue;
      const t = safeTopic(a['topic'] ?? a['t']);
      const template = avTpl(a['value_template'] ?? a['val_tpl']);
      if (t) availability.push({ topic: t, on: String(a['payload_available'] ?? a['pl_avail'] ?? on), off: String(a['payload_not_available'] ?? a['pl_not_avail'] ?? off), ...(template ? { template } : {}) });
    }
  }
  return {
    key, component, objectId, deviceKey, config: cfg, capabilities: caps, readers, availability, deviceClass, unsupported, commandTemplates,
    deviceName: dev ? str(dev['name']) : undefined,
    entityName: typeof cfg['name'] === 'string' ? cfg['name'] : undefined,
    suggestedArea: dev ? str(dev['suggested_area']) : undefined,
    manufacturer: dev ? str(dev['manufacturer']) : undefined,
    model: dev ? str(dev['model']) : undefined,
  };
}

export const DOMAIN_RANK: Domain[] = ['lock', 'climate', 'cover', 'light', 'fan', 'switch', 'binary_sensor', 'sensor', 'select', 'scene', 'button'];
