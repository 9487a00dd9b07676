/**
 * Short spoken-style replies, with the values read from device state ("It's 180 degrees in the oven").
 */
import type { IntentName } from '../types/intents.js';
import type { DeviceSnapshot, RegistryView, StateValue } from '../types/device.js';
import { weatherReply } from './weather.js';
import type { IntentMatch, ResolvedAction, VoiceResponse } from '../types/pipeline.js';

export function listNames(devices: readonly DeviceSnapshot[]): string {
  const names = devices.map((d) => `the ${d.device.name}`);
  if (names.length <= 1) return names[0] ?? 'nothing';
  if (names.length > 4) return `${names.length} devices`;
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

function unitWord(d: DeviceSnapshot, measure: string): string {
  const unit = d.device.capabilities[measure]?.unit ?? '';
  if (measure === 'temperature' || unit.startsWith('°')) return ' degrees';
  if (unit === '%') return ' percent';
  return unit ? ` ${unit}` : '';
}

const fmt = (v: StateValue) => (typeof v === 'number' ? String(Math.round(v * 10) / 10) : String(v));

export function actionDone(action: ResolvedAction): string {
  const who = listNames(action.targets);
  const op = action.operation ?? {};
  const only = (domain: string) => action.targets.every((t) => t.device.domain === domain);
  if (op.power === 'on' && only('scene')) return `Activated ${who}.`;
  if (op.power === 'on' && only('button')) return `Pressed ${who}.`;
  if (op.lock) return `${op.lock === 'lock' ? 'Locked' : 'Unlocked'} ${who}.`;
  if (op.cover) return `${op.cover === 'open' ? 'Opening' : op.cover === 'close' ? 'Closing' : 'Stopped'} ${who}.`;
  if (op.positionPct !== undefined) return `Set ${who} to ${op.positionPct} percent.`;
  if (op.brightnessPct !== undefined) return `Set ${who} to ${op.brightnessPct} percent.`;
  if (op.colorRgb) return `Set ${who} to ${action.slots.color ?? 'that colour'}.`;
  if (op.colorTempMired !== undefined) return `Set ${who} to a ${op.colorTempMired < 250 ? 'cooler' : 'warmer'} white.`;
  if (op.targetTemperature !== undefined) return `Set ${who} to ${op.targetTemperature} degrees.`;
  if (op.power) return `Turned ${op.power === 'toggle' ? 'over' : op.power} ${who}.`;
  return `Done.`;
}

/** The action as something still to do: "unlock the Back Door", "turn on the Kitchen Light". */
export function actionVerb(action: ResolvedAction): string {
  const who = listNames(action.targets);
  const op = action.operation ?? {};
  const only = (domain: string) => action.targets.every((t) => t.device.domain === domain);
  if (op.power === 'on' && only('scene')) return `Activated ${who}.`;
  if (op.power === 'on' && only('button')) return `Pressed ${who}.`;
  if (op.lock) return `${op.lock} ${who}`;
  if (op.cover) return `${op.cover} ${who}`;
  if (op.positionPct !== undefined || op.brightnessPct !== undefined) return `set ${who} to ${op.positionPct ?? op.brightnessPct} percent`;
  if (op.targetTemperature !== undefined) return `set ${who} to ${op.targetTemperature} degrees`;
  if (op.power && op.power !== 'toggle') return `turn ${op.power} ${who}`;
  return `change ${who}`;
}

function describeState(d: DeviceSnapshot): string {
  const v = d.state.values;
  if (!d.state.available) return 'offline';
  if (v['lock'] !== undefined) return String(v['lock']);
  if (v['cover'] !== undefined) return String(v['cover']);
  if (v['power'] !== undefined) return String(v['power']);
  const measure = Object.keys(d.device.capabilities).find((k) => v[k] !== undefined && typeof v[k] === 'number');
  if (measure) return `${fmt(v[measure]!)}${unitWord(d, measure)}`;
  const any = Object.keys(v)[0];
  return any ? `${any.replace(/_/g, ' ')} ${fmt(v[any]!)}` : 'unknown';
}

export function answerState(action: ResolvedAction): string {
  const { targets, slots } = action;
  if (action.measure) {
    const d = targets[0]!;
    const v = d.state.values[action.measure];
    const place = d.device.capabilities['power'] ? `in the ${d.device.name.toLowerCase()}` : d.device.area ? `in the ${d.device.area.toLowerCase()}` : `at the ${d.device.name}`;
    return `It's ${fmt(v ?? null)}${unitWord(d, action.measure)} ${place}.`;
  }
  // "what's the humidity": the reading asked for, not the device's first one.
  const asked = slots.device_class && !slots.state && targets.some((d) => d.state.values[slots.device_class!] !== undefined) ? slots.device_class : undefined;
  if (asked) {
    return targets.filter((d) => d.state.values[asked] !== undefined).slice(0, 4).map((d) => {
      const place = d.device.area ? `in the ${d.device.area.toLowerCase()}` : `at the ${d.device.name}`;
      return `The ${asked.replace(/_/g, ' ')} ${place} is ${fmt(d.state.values[asked] ?? null)}${unitWord(d, asked)}.`;
    }).join(' ');
  }
  if (slots.state) {
    const want = slots.state.toLowerCase();
    const matching = targets.filter((d) => describeState(d).toLowerCase() === want || (want === 'on' && d.state.values[slots.device_class ?? ''] === true) || (want === 'off' && d.state.values[slots.device_class ?? ''] === false));
    if (targets.length === 1) return matching.length === 1 ? `Yes, the ${targets[0]!.device.name} is ${slots.state}.` : `No, the ${targets[0]!.device.name} is ${describeState(targets[0]!)}.`;
    if (matching.length === 0) return `None are ${slots.state}.`;
    if (matching.length === targets.length) return `All ${targets.length} are ${slots.state}.`;
    return `${matching.length} ${matching.length === 1 ? 'is' : 'are'} ${slots.state}: ${listNames(matching)}.`;
  }
  if (targets.length === 1) return `The ${targets[0]!.device.name} is ${describeState(targets[0]!)}.`;
  return targets.slice(0, 4).map((d) => `The ${d.device.name} is ${describeState(d)}.`).join(' ');
}

/** Intents Hearth recognises but cannot carry out yet: said plainly. */
export const NOT_YET: Partial<Record<IntentName, string>> = {
  HassMediaSearchAndPlay: 'media search',
  HassMediaPause: 'media control', HassMediaUnpause: 'media control', HassMediaNext: 'media control',
  HassMediaPrevious: 'media control', HassSetVolume: 'volume control', HassVacuumStart: 'vacuum control',
  HassVacuumReturnToBase: 'vacuum control', HassSetVolumeRelative: 'volume control', HassMediaPlayerMute: 'media control',
  HassMediaPlayerUnmute: 'media control', HassFanSetSpeed: 'fan speed control', HassLawnMowerStartMowing: 'lawn mower control',
  HassLawnMowerDock: 'lawn mower control', HassBroadcast: 'broadcasting',
};

/** What the hub understood but cannot do (yet), said plainly; undefined when it can. */
export function notYetText(m: IntentMatch): string | undefined {
  if (m.slots.when) return `I understood that, but doing it ${m.slots.when} isn't something I can do on this hub yet: ask me when you want it done.`;
  const what = NOT_YET[m.intent];
  return what ? `I understood that, but ${what} ${what.endsWith('s') ? "aren't" : "isn't"} something I can do on this hub yet.` : undefined;
}

/** Answers that need only the words and the clock; undefined for any other intent. */
export function plainAnswer(m: IntentMatch, nowMs: number, registry: RegistryView): VoiceResponse | undefined {
  const say = (speech: string, outcome: VoiceResponse['outcome']): VoiceResponse => ({ speech, outcome, continueConversation: false });
  switch (m.intent) {
    case 'HassNevermind': case 'HearthNo': return say('OK.', 'cancelled');
    // A yes with nothing asked (a stray word, or one misheard) is no request: the hub did nothing.
    case 'HearthYes': return say("I wasn't asking anything.", 'no-match');
    case 'HearthDigits': return say("I wasn't waiting for a number.", 'no-match');
    case 'HassGetCurrentTime': return say(timeText(new Date(nowMs)), 'answered');
    case 'HassGetCurrentDate': return say(dateText(new Date(nowMs)), 'answered');
    case 'HassRespond': return say(respondText(m.rule), 'answered');
    case 'HassGetWeather': {
      const w = weatherReply(registry), elsewhere = m.slots.place ? `I only know the weather here, not in ${m.slots.place}. ` : '';
      return say(elsewhere + w.speech, w.found ? 'answered' : 'not-supported');
    }
    case 'HearthCustom': return say(m.slots.custom_response ?? 'Done.', 'answered');
    default: return undefined;
  }
}

export function respondText(rule: string): string {
  if (rule === 'help') return 'You can ask me to turn devices on and off, dim lights, set the heating, or ask what state something is in.';
  if (rule === 'privacy') return 'Everything stays on this hub: your voice and requests are processed here and never leave your home.';
  return 'Hello! What can I do for you?';
}

export function timeText(now: Date): string {
  return `It's ${now.getHours()}:${String(now.getMinutes()).padStart(2, '0')}.`;
}

export function dateText(now: Date): string {
  return `Today is ${now.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })}.`;
}

/**
 * The reply when commands could not go out now: the broker is away and a command was dropped (sensitive ones are never
 * held) or queued for at most `commandTtlMs`. Undefined when every command was sent.
 */
export function unreachableReply(results: readonly ('sent' | 'queued' | 'dropped')[], action: ResolvedAction, commandTtlMs: number): { code: string; speech: string } | undefined {
  if (results.includes('dropped')) {
    return { code: 'home-unreachable', speech: `I can't reach the home's devices right now (the MQTT broker is not connected), so I did not ${actionVerb(action)}.` };
  }
  if (!results.includes('queued')) return undefined;
  const s = Math.round(commandTtlMs / 1000);
  return { code: 'home-unreachable-waiting', speech: `I can't reach the home's devices right now. If the connection is back within ${s} second${s === 1 ? '' : 's'}, I'll ${actionVerb(action)}; otherwise nothing changes.` };
}

/** Which of the offered devices an answer to "which one?" names: by its area or its name; undefined unless exactly one. */
export function pickOption<D extends { device: { name: string; area?: string } }>(answer: string, answerAreas: readonly string[], options: readonly D[]): D | undefined {
  const text = answer.toLowerCase(), areas = answerAreas.map((a) => a.toLowerCase());
  const hits = options.filter((o) => areas.includes((o.device.area ?? '').toLowerCase()) || text.includes(o.device.name.toLowerCase()));
  return hits.length === 1 ? hits[0] : undefined;
}
