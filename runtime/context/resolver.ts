/**
 * IntentMatch -> ResolvedAction: which devices, what to do to each, and why. Defaults come from the
 * hub's area; "it"/"them" from the last devices of the conversation; a query about a measure picks
 * the device whose state makes it relevant. When the request stays ambiguous it asks.
 */
import type { IntentName } from '../types/intents.js';
import type { DeviceOperation, DeviceSnapshot, RegistryView } from '../types/device.js';
import type { IntentMatch, IntentSlots, ResolvedAction } from '../types/pipeline.js';
import { COLORS } from '../nlu/vocabulary.js';
import { applyAreaContext } from './area.js';
import { pickMeasured } from './measure.js';
import { select, withCapability, type Selection } from './select.js';

export type Resolution =
  | { readonly kind: 'resolved'; readonly action: ResolvedAction }
  | { readonly kind: 'clarify'; readonly question: string; readonly options: readonly DeviceSnapshot[]; readonly intent: IntentMatch }
  | { readonly kind: 'no-device'; readonly reason: string; readonly code: string };

export interface ResolveContext {
  readonly registry: RegistryView;
  readonly hubArea: string | undefined;
  /** Devices of the previous turns that "it" and "them" point to. */
  readonly lastDeviceIds: readonly string[];
}

const cap = (d: DeviceSnapshot, id: string) => d.device.capabilities[id];
const writable = (id: string) => (d: DeviceSnapshot) => cap(d, id)?.writable === true;

/** What an intent asks of each device, or undefined when the device cannot do it. */
function operationFor(intent: IntentName, slots: IntentSlots, d: DeviceSnapshot): DeviceOperation | undefined {
  const dom = d.device.domain;
  switch (intent) {
    case 'HassTurnOn':
      if (dom === 'lock' && writable('lock')(d)) return { lock: 'lock' };
      if (writable('activate')(d) || writable('press')(d)) return { power: 'on' }; // a scene or a button
      if (writable('cover')(d)) return { cover: 'open' };
      if (writable('power')(d)) return { power: 'on' };
      return undefined;
    case 'HassTurnOff':
      if (slots.command === 'stop' && writable('cover')(d)) return { cover: 'stop' };
      if (dom === 'lock' && writable('lock')(d)) return { lock: 'unlock' };
      if (writable('cover')(d)) return { cover: 'close' };
      if (writable('power')(d)) return { power: 'off' };
      return undefined;
    case 'HassToggle':
      return writable('power')(d) ? { power: 'toggle' } : undefined;
    case 'HassLightSet': {
      if (slots.color) return writable('color')(d) && COLORS[slots.color] ? { colorRgb: COLORS[slots.color]! } : undefined;
      if (slots.color_temp_mired !== undefined) return writable('color_temp')(d) ? { colorTempMired: slots.color_temp_mired } : undefined;
      if (!writable('brightness')(d)) return undefined;
      if (slots.brightness !== undefined) return { brightnessPct: Math.max(0, Math.min(100, slots.brightness)) };
      if (slots.brightness_step) {
        const max = cap(d, 'brightness')?.max ?? 254;
        const now = typeof d.state.values['brightness'] === 'number' && d.state.values['power'] !== 'off' ? (d.state.values['brightness'] as number) / max * 100 : 0;
        return { brightnessPct: Math.round(Math.max(1, Math.min(100, now + (slots.brightness_step === 'up' ? 25 : -25)))) };
      }
      return undefined;
    }
    case 'HassSetPosition':
      return writable('position')(d) && slots.position !== undefined ? { positionPct: slots.position } : undefined;
    case 'HassClimateSetTemperature':
      return writable('target_temperature')(d) && slots.temperature !== undefined ? { targetTemperature: slots.temperature } : undefined;
    default:
      return undefined;
  }
}

const QUERY_INTENTS: ReadonlySet<IntentName> = new Set(['HassGetState', 'HassClimateGetTemperature']);

const SWITCH_INTENTS: ReadonlySet<IntentName> = new Set(['HassTurnOn', 'HassTurnOff', 'HassToggle']);
/**
 * What "turn off everything (in the kitchen)" switches: things that are on or off. Never a lock, a cover, a valve, an
 * alarm or a scene: "off" would unlock, open or run them, which nobody asks for by saying "everything".
 */
const BROAD_DOMAINS: ReadonlySet<string> = new Set(['light', 'switch', 'fan', 'media_player', 'input_boolean', 'humidifier']);

export function resolve(match: IntentMatch, ctx: ResolveContext): Resolution {
  const said = match.slots;
  // "turn on the fish tank" in a home without one must not switch the whole room: a switch request
  // needs a name, a kind of device, or a reference; a room alone is not enough when other words were unknown.
  if (SWITCH_INTENTS.has(match.intent) && !said.name && !said.domain && !said.device_class && !said.reference) {
    if (said.unknown_name) return { kind: 'no-device', code: 'no-device-matched', reason: `I don't know a device called ${said.unknown_name}.` };
    if (!said.area && !said.floor && !said.here && !said.everywhere && !said.all) return { kind: 'no-device', code: 'no-target', reason: 'Which device do you mean?' };
  }
  const used: string[] = [];
  const { slots, used: usedArea } = applyAreaContext(match.intent, match.slots, ctx.hubArea);
  if (usedArea) used.push(`area-default:${slots.area}`);
  let sel: Selection;
  if (slots.reference) {
    const last = ctx.lastDeviceIds.map((id) => ctx.registry.get(id)).filter((d): d is DeviceSnapshot => d !== undefined);
    if (last.length === 0) return { kind: 'no-device', code: 'reference-unresolved', reason: `I'm not sure what "${slots.reference}" means here. Which device?` };
    sel = { devices: last, used: [`${slots.reference}:last-devices`] };
  } else {
    sel = select(ctx.registry, slots);
    // "turn on the fan" said in a room without one: the hub's room was only a default, so the fan elsewhere is meant
    // (several elsewhere: the rules below ask which).
    if (usedArea && sel.devices.length === 0) {
      const { area: _default, ...anywhere } = slots;
      const wider = select(ctx.registry, anywhere);
      if (wider.devices.length > 0) { sel = { devices: wider.devices, used: [...wider.used, 'area-default:none-there'] }; used.pop(); }
    }
  }
  used.push(...sel.used);
  if (SWITCH_INTENTS.has(match.intent) && !slots.name && !slots.domain && !slots.device_class && !slots.reference) {
    sel = { devices: sel.devices.filter((d) => BROAD_DOMAINS.has(d.device.domain)), used: sel.used };
  }

  if (match.intent === 'HassClimateGetTemperature') {
    const pool = slots.name ? sel.devices : [...ctx.registry.all()];
    const picked = pickMeasured(pool, 'temperature', slots.area);
    // A room the person named that has no reading is not answered from another room.
    if (picked && said.area && picked.device.device.area?.toLowerCase() !== said.area.toLowerCase() && !slots.name) {
      return { kind: 'no-device', code: 'no-device-matched', reason: `I don't have a temperature reading for the ${said.area.toLowerCase()}.` };
    }
    if (!picked) return { kind: 'no-device', code: 'no-device-matched', reason: `I don't have a temperature reading${slots.area ? ` for the ${slots.area.toLowerCase()}` : ''}.` };
    return { kind: 'resolved', action: { intent: match.intent, targets: [picked.device], measure: 'temperature', slots, usedContext: [...used, picked.why] } };
  }
  if (QUERY_INTENTS.has(match.intent)) {
    if (sel.devices.length === 0) return { kind: 'no-device', code: 'no-device-matched', reason: noDeviceReason(slots) };
    return { kind: 'resolved', action: { intent: match.intent, targets: sel.devices, slots, usedContext: used } };
  }

  const able = withCapability(sel, (d) => operationFor(match.intent, slots, d) !== undefined, match.intent);
  if (able.devices.length === 0) {
    if (sel.devices.length > 0) return { kind: 'no-device', code: 'operation-unsupported', reason: `The ${sel.devices[0]!.device.name} can't do that.` };
    return { kind: 'no-device', code: 'no-device-matched', reason: noDeviceReason(slots) };
  }
  // A device its bridge says is offline would not hear the command: never "Turned on" for one that cannot be.
  const offline = able.devices.filter((d) => d.state.available === false);
  if (offline.length === able.devices.length) {
    const names = offline.slice(0, 3).map((d) => `the ${d.device.name}`).join(offline.length === 2 ? ' and ' : ', ');
    return { kind: 'no-device', code: 'device-offline', reason: `${names[0]!.toUpperCase()}${names.slice(1)} ${offline.length === 1 ? 'is' : 'are'} offline, so I changed nothing.` };
  }
  if (offline.length > 0) used.push(...offline.map((d) => `offline:${d.device.name}`));
  let targets = able.devices.filter((d) => d.state.available !== false);
  // One name, several devices in different rooms: the hub's room decides, else ask. The same for "the
  // lamp" when no room was said or known: in one room "the light" is that room's lighting, but across
  // rooms the person meant one of them.
  const areasOf = new Set(targets.map((d) => d.device.area?.toLowerCase() ?? ''));
  const singularAcrossRooms = slots.singular && !slots.area && !slots.floor && !slots.everywhere && (areasOf.size > 1 || areasOf.has(''));
  if ((slots.name || singularAcrossRooms) && targets.length > 1 && !slots.all) {
    const here = targets.filter((d) => d.device.area && ctx.hubArea && d.device.area.toLowerCase() === ctx.hubArea.toLowerCase());
    if (here.length === 1) { targets = here; used.push(`area-default:${ctx.hubArea}`); }
    else {
      // "the Kitchen Light", not "the Kitchen Light in the kitchen"; the room only where the name lacks it.
      const names = targets.map((d) => {
        const area = d.device.area?.toLowerCase();
        return `the ${d.device.name}${area && !d.device.name.toLowerCase().includes(area) ? ` in the ${area}` : ''}`;
      });
      const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}` : names[0]!;
      return { kind: 'clarify', question: `Which one: ${list}?`, options: targets, intent: match };
    }
  }
  const ops = targets.map((d) => operationFor(match.intent, slots, d)!);
  const operation = ops[0]!;
  return { kind: 'resolved', action: { intent: match.intent, targets, operation, slots, usedContext: [...able.used.filter((u) => !used.includes(u)), ...used] } };
}

/**
 * The per-device operation (brightness steps differ by device); exported for the act stage and the
 * policy. An action that carries its own operation (a taught concept) uses it for every device.
 */
export function operationForTarget(action: ResolvedAction, d: DeviceSnapshot): DeviceOperation | undefined {
  return action.intent === 'HearthApplyConcept' ? action.operation : operationFor(action.intent, action.slots, d);
}

function noDeviceReason(slots: IntentSlots): string {
  const what = slots.name ?? (slots.device_class ?? slots.domain ?? 'device').replace(/_/g, ' ');
  const where = slots.area ? ` in the ${slots.area.toLowerCase()}` : slots.floor ? ` on the ${slots.floor.toLowerCase()}` : '';
  return `I couldn't find ${slots.name ? 'the ' : 'a '}${what}${where}.`;
}
