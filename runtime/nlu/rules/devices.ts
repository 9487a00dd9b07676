/** Rules for devices: climate, lights, covers, state questions, vacuums, and the broad on/off. */
import type { IntentSlots } from '../../types/pipeline.js';
import { all, first, type Parsed } from '../parse.js';
import type { Lexicon } from '../lexicon.js';
import { targetSlots, unknownKindName, unknownWords } from '../targets.js';
import { BINARY_CLASS_WORDS, STATE_WORDS } from '../vocabulary.js';
import { has, hit, raw, QUESTION, ON_CUE, OFF_CUE, type Rule } from './common.js';

export const climateSet: Rule = (p) => {
  const r = raw(p);
  if (!/\b(temp|temperature|thermostat|heat|heating|degrees|warmer|cooler)\b/.test(r) || p.numbers.length === 0) return undefined;
  if (!/\b(set|change|turn|make|put|adjust|increase|decrease|raise|lower)\b|\bto NUM\b/.test(p.skeleton)) return undefined;
  // "turn the heat down 2 degrees" is a change by 2, not a setting of 2: Home Assistant's intent takes only a target.
  if (!/\b(to|at) NUM\b/.test(p.skeleton) && /\b(up|down|warmer|cooler|higher|lower|increase|decrease|raise|by)\b/.test(r)) return undefined;
  const t = targetSlots(p);
  const slots: IntentSlots = { temperature: p.numbers[p.numbers.length - 1]! };
  if (t.area) slots.area = t.area;
  if (t.floor) slots.floor = t.floor;
  if (t.name) slots.name = t.name;
  if (t.here) slots.here = true;
  return hit('HassClimateSetTemperature', 'climate-set', slots);
};

export const climateGet: Rule = (p) => {
  const r = raw(p);
  const measure = first(p, 'measure');
  const asksTemp = measure?.deviceClass === 'temperature' || /\bhow (warm|hot|cold|cool) is\b|\bis it (warm|hot|cold)\b/.test(r);
  if (!asksTemp || !QUESTION.test(p.skeleton) && !/^(temperature|temp)\b/.test(r)) return undefined;
  const name = first(p, 'name');
  if (name && name.domain !== 'climate') return hit('HassGetState', 'state-measure', { name: name.value, domain: name.domain, ...(name.deviceClass ? { device_class: name.deviceClass } : {}) });
  const t = targetSlots(p);
  const slots: IntentSlots = {};
  if (t.area) slots.area = t.area;
  if (t.floor) slots.floor = t.floor;
  if (t.name) slots.name = t.name;
  if (t.here) slots.here = true;
  return hit('HassClimateGetTemperature', 'climate-get', slots);
};

const BRIGHT_MAX = /\b(max|maximum|full|highest|brightest|100 %)\b/;
const BRIGHT_MIN = /\b(min|minimum|lowest|dimmest)\b/;

export const lightSet: Rule = (p) => {
  const s = p.skeleton;
  const r = raw(p);
  const t = targetSlots(p);
  const name = first(p, 'name');
  const kind = first(p, 'kind');
  const lightish = (name?.domain === 'light') || kind?.domain === 'light' || (!name && !kind);
  if (!lightish) return undefined;
  const base: IntentSlots = {};
  // singular: "dim the lamp" is one lamp (which one is asked when several), as "turn off the lamp" is.
  for (const k of ['name', 'area', 'floor', 'here', 'reference', 'everywhere', 'singular', 'all'] as const) if (t[k] !== undefined) (base as Record<string, unknown>)[k] = t[k];
  if (!name && kind?.domain === 'light') base.domain = 'light';
  const color = first(p, 'color');
  const white = first(p, 'white');
  // A colour word alone ("the quick brown fox") is not a request: it needs a light or a verb of setting.
  if ((color || white) && !name && !kind && !/\b(set|change|make|turn|switch|show|give|want|colou?r)\b/.test(r)) return undefined;
  // The last colour named wins: "change the lights from blue to white" means white.
  if (color) return hit('HassLightSet', 'light-color', { ...base, color: all(p, 'color').pop()!.value });
  if (white) return hit('HassLightSet', 'light-white', { ...base, color_temp_mired: white.mired });
  if (/\bcolou?rs?\b/.test(r)) return hit('HassLightSet', 'light-color-unspecified', base);
  const brightnessWord = /\bbrightness\b|\bbright\b|\blevel\b/.test(r);
  const pct = /NUM %/.test(s) || (/\b(to|at) NUM$/.test(s) && (brightnessWord || name?.domain === 'light' || kind?.domain === 'light' || !!first(p, 'area') || !!t.reference));
  if ((pct || brightnessWord && p.numbers.length > 0) && !/\b(volume|temperature|temp|degrees|position|timer)\b/.test(r)) {
    const n = p.numbers[p.numbers.length - 1];
    if (n !== undefined && n >= 0 && n <= 100) return hit('HassLightSet', 'light-brightness', { ...base, brightness: n });
  }
  if (BRIGHT_MAX.test(r) && (brightnessWord || /\bAREA (to )?(max|maximum)\b/.test(s))) return hit('HassLightSet', 'light-brightness', { ...base, brightness: 100 });
  if (BRIGHT_MIN.test(r) && (brightnessWord || /\bAREA (to )?(min|minimum)\b/.test(s))) return hit('HassLightSet', 'light-brightness', { ...base, brightness: 1 });
  if (!name && !kind && !/\b(light|lights|lamp|lamps|lighting|bright|brighter|dark|darker|dim|dimmer)\b/.test(r)) return undefined;
  // Explicit verbs first: "increase the brightness, it is hard to see down here" is up, whatever "down" says.
  const up = /\b(brighten|brighter|more lights?|increase|raise|maximi[sz]e|turn (\S+ ){0,4}up)\b/.test(r);
  const down = /\b(dim|dimmer|darker|less bright|lower|decrease|reduce|minimi[sz]e|turn (\S+ ){0,4}down|too bright|low)\b/.test(r);
  // A verb that says on or off wins over how the room feels: "it's too bright, turn a light off" is off.
  if (/\b(turn|switch|shut|put) (\S+ ){0,3}(on|off)\b/.test(r)) return undefined;
  // "it's dark in here" with nothing said of brightness: light, as people ask a dark room for it.
  if (/\b(dark|too dark)\b/.test(r) && !up && !down) return hit('HassTurnOn', 'dark', { ...base, domain: 'light' });
  if (down && !up && !OFF_CUE.test(s)) return hit('HassLightSet', 'light-step', { ...base, brightness_step: 'down' });
  if (up && !/\blight up\b/.test(r)) return hit('HassLightSet', 'light-step', { ...base, brightness_step: 'up' });
  if (/\b(down)\b/.test(r) && !OFF_CUE.test(s)) return hit('HassLightSet', 'light-step', { ...base, brightness_step: 'down' });
  if (/\b(up|bright)\b/.test(r) && !/\blight up\b/.test(r)) return hit('HassLightSet', 'light-step', { ...base, brightness_step: 'up' });
  return undefined;
};

export const setPosition: Rule = (p) => {
  const name = first(p, 'name');
  const kind = first(p, 'kind');
  const domain = name?.domain ?? kind?.domain;
  if ((domain !== 'cover' && domain !== 'valve') || p.numbers.length === 0) return undefined;
  if (!/\b(set|open|close|change|move|put|raise|lower|to)\b/.test(p.skeleton)) return undefined;
  const t = targetSlots(p);
  return hit('HassSetPosition', 'position', { ...t, domain, position: p.numbers[p.numbers.length - 1]! });
};

/** Yes/no and counting questions about state: "is the front door locked", "which lights are on". */
export const getState: Rule = (p, lex) => {
  const s = p.skeleton;
  const r = raw(p);
  if (!QUESTION.test(s)) return undefined;
  const t = targetSlots(p);
  const adjective = binaryAdjective(r);
  const name = sameNamed(p, lex, adjective?.deviceClass);
  const kind = first(p, 'kind');
  const binary = first(p, 'binary');
  const measure = first(p, 'measure');
  const slots: IntentSlots = { ...t };
  delete slots.all;
  if (/^(where is|who is|how many people|is anyone|is somebody|who are)\b/.test(r)) {
    slots.domain = 'person';
    if (/\b(home|at home)\b/.test(r)) slots.state = 'home';
    if (name) slots.name = name.value;
    return hit('HassGetState', 'state-person', slots);
  }
  const binaryName = name?.domain === 'binary_sensor';
  if ((binary || (adjective && (!kind || adjective.namesClass) && (!name || binaryName))) && (!name || binaryName)) {
    const cls = binaryName ? name!.deviceClass : binary?.deviceClass ?? adjective!.deviceClass;
    slots.domain = 'binary_sensor';
    if (cls) slots.device_class = cls;
    if (name) slots.name = name.value;
    const off = adjective ? adjective.on === false : Object.values(BINARY_CLASS_WORDS).find((b) => b.deviceClass === binary?.deviceClass)?.off.some((w) => new RegExp(`\\b${w}\\b`).test(r));
    slots.state = (cls === 'lock' && adjective) ? (/\bunlocked\b/.test(r) ? 'on' : 'off') : off ? 'off' : 'on';
    return hit('HassGetState', 'state-binary', slots);
  }
  if (name) {
    slots.name = name.value;
    if (name.domain !== 'light' && name.domain !== 'switch' && name.domain !== 'fan') slots.domain = name.domain;
    if (name.deviceClass && (name.domain === 'sensor' || name.domain === 'binary_sensor')) slots.device_class = name.deviceClass;
    else if (measure && name.domain === 'sensor') { slots.device_class = measure.deviceClass; slots.domain = 'sensor'; }
  }
  const domain = name?.domain ?? kind?.domain ?? (/\bdoors?\b/.test(r) ? 'lock' : undefined);
  if (!domain && !name && !measure) return undefined;
  if (domain && !name) slots.domain = domain;
  const words = STATE_WORDS[domain ?? ''] ?? {};
  for (const [w, v] of Object.entries(words)) {
    if (new RegExp(`\\b${w}( currently| now| right now)?$|\\b${w} (in|at|on|upstairs|downstairs|outside)\\b|\\bturned ${w}\\b|\\b(are|is) (any |all |there |the )*(\\S+ ){0,3}${w}\\b`).test(r)) { slots.state = v; break; }
  }
  if (measure && !name) slots.device_class = measure.deviceClass;
  return hit('HassGetState', name ? 'state-name' : 'state-kind', slots);
};

/**
 * Adjectives that answer yes/no questions about binary sensors, with the device class they imply
 * when no sensor is named ("are any things cold") and whether they mean the sensor's on state.
 */
const BINARY_ADJECTIVES: [RegExp, string, boolean][] = [
  // "is <class> detected": the word is the sensor's class, even where it also names a kind ("is light detected").
  [/\blight (is )?detected\b/, 'light', true], [/\b(sound|noise) (is )?detected\b/, 'sound', true], [/\bgas (is )?detected\b/, 'gas', true],
  [/\bsmoke (is )?detected\b/, 'smoke', true], [/\b(carbon monoxide|co) (is )?detected\b/, 'carbon_monoxide', true],
  [/\bvibration (is )?detected\b/, 'vibration', true], [/\b(tamper|tampering) (is )?detected\b/, 'tamper', true],
  [/\bproblem (is )?detected\b|\bany problems?\b/, 'problem', true], [/\bmoving\b|\bmovement detected\b/, 'moving', true],
  [/\bcharging\b/, 'battery_charging', true], [/\b(batteries|battery) (is |are )?low\b|\blow batter/, 'battery', true],
  [/\bcharged\b/, 'battery', false], [/\bcold\b/, 'cold', true], [/\bhot\b/, 'heat', true],
  [/\bconnected\b/, 'connectivity', true], [/\bdisconnected\b/, 'connectivity', false], [/\bplugged in\b/, 'plug', true],
  [/\bunplugged\b/, 'plug', false], [/\bpowered( on)?\b|\bpower detected\b/, 'power', true], [/\brunning\b/, 'running', true],
  [/\bwet\b|\bflooded\b|\bleaking\b/, 'moisture', true], [/\bdry\b/, 'moisture', false],
  [/\boccupied\b/, 'occupancy', true], [/\b(home)\b/, 'presence', true], [/\b(gone|away)\b/, 'presence', false],
  [/\bunlocked\b/, 'lock', true], [/\blocked\b/, 'lock', false], [/\b(shut|closed)\b/, 'opening', false],
  [/\bopen\b/, 'opening', true], [/\bvibrating\b/, 'vibration', true], [/\bunsafe\b/, 'safety', true],
  [/\bdetected\b|\btriggered\b/, 'motion', true], [/\bupdates? available\b|\bany updates\b/, 'update', true],
];

/**
 * The device named, and where several share the name (a phone's battery, charging, presence and connectivity sensors
 * are all "Phone"), the one whose class the question asks about: "is the phone home" is the presence sensor.
 */
function sameNamed(p: Parsed, lex: Lexicon, deviceClass: string | undefined) {
  const span = p.spans.find((x) => x.tag.kind === 'name');
  if (!span || !deviceClass) return first(p, 'name');
  const named = lex.tagsOf(span.text).filter((x): x is Extract<typeof x, { kind: 'name' }> => x.kind === 'name');
  return named.find((x) => x.domain === 'binary_sensor' && x.deviceClass === deviceClass) ?? first(p, 'name');
}

function binaryAdjective(r: string): { deviceClass: string; on: boolean; namesClass: boolean } | undefined {
  for (const [re, deviceClass, on] of BINARY_ADJECTIVES) if (re.test(r)) return { deviceClass, on, namesClass: re.source.includes('detected') && deviceClass !== 'motion' };
  return undefined;
}

/** "set the fan speed to 50 percent", "set the ceiling fan to 30 percent": HassFanSetSpeed. */
export const fanSpeed: Rule = (p) => {
  const name = first(p, 'name'), kind = first(p, 'kind');
  if ((name?.domain ?? kind?.domain) !== 'fan' || p.numbers.length === 0 || !/\b(speed|%|percent)\b/.test(raw(p))) return undefined;
  const n = p.numbers[p.numbers.length - 1]!;
  return n >= 0 && n <= 100 ? hit('HassFanSetSpeed', 'fan-speed', { ...targetSlots(p), percentage: n }) : undefined;
};

/** "start mowing", "mow the lawn", "send the mower home": the lawn mower's start and dock. */
export const lawnMower: Rule = (p) => {
  const r = raw(p);
  const name = first(p, 'name');
  if (!(name?.domain === 'lawn_mower' || first(p, 'kind')?.domain === 'lawn_mower' || /\b(mow|mowing|mower|lawnmower)\b/.test(r) && !name)) return undefined;
  const slots: IntentSlots = name ? { name: name.value } : {};
  if (/\b(dock|return|home|base|charge|back|stop|park)\b/.test(r) || OFF_CUE.test(p.skeleton)) return hit('HassLawnMowerDock', 'mower-dock', slots);
  return hit('HassLawnMowerStartMowing', 'mower-start', slots);
};

export const vacuum: Rule = (p) => {
  const r = raw(p);
  const name = first(p, 'name');
  const kind = first(p, 'kind');
  const isVac = name?.domain === 'vacuum' || kind?.domain === 'vacuum' || /\b(clean|cleaning|clean ?up|tidy|vacuum|vacuuming|hoover|hoovering|suck|sweep|dust|mop)\b/.test(r) && !name && !/\b(light|lamp)/.test(r);
  if (!isVac) return undefined;
  const t = targetSlots(p);
  const slots: IntentSlots = {};
  if (name) slots.name = name.value;
  if (t.area) slots.area = t.area;
  if (/\b(dock|return|go home|base|charge|back)\b/.test(r) || OFF_CUE.test(p.skeleton) || /\bstop\b/.test(r)) return hit('HassVacuumReturnToBase', 'vacuum-dock', slots);
  return hit('HassVacuumStart', 'vacuum-start', slots);
};

export const onOff: Rule = (p) => {
  const s = p.skeleton;
  const r = raw(p);
  const t = targetSlots(p);
  const name = first(p, 'name');
  const kind = first(p, 'kind');
  const domain = name?.domain ?? kind?.domain;
  const slots: IntentSlots = { ...t };
  if (!name) {
    const unknown = kind ? unknownKindName(p) : unknownWords(p);
    if (unknown) {
      slots.unknown_name = unknown;
      delete slots.domain; delete slots.device_class; delete slots.singular; // the kind word was part of the name
    }
  }
  const lockish = domain === 'lock' || (!domain && /\b(door|doors)\b/.test(r));
  if (/\bunlock\b/.test(r)) return hit('HassTurnOff', 'unlock', lockDomain(slots, name));
  if (/\block\b/.test(r) && lockish || /^lock\b/.test(r)) return hit('HassTurnOn', 'lock', lockDomain(slots, name));
  const opening = domain === 'cover' || domain === 'valve' || domain === 'lock';
  if (name?.domain === 'valve') slots.domain = 'valve';
  // "raise the temperature" moves a measure, not a cover.
  const covers = (opening || !domain) && !(!name && !kind && first(p, 'measure'));
  // A lock opens by unlocking: "open the front door" (a lock) is an unlock, with its PIN, and closing it locks it.
  if (/\bopen\b/.test(r) && name?.domain === 'lock') return hit('HassTurnOff', 'unlock', slots);
  if (/\b(close|shut)\b/.test(r) && name?.domain === 'lock') return hit('HassTurnOn', 'lock', slots);
  if (/\b(open|raise|roll up)\b/.test(r) && covers) return hit('HassTurnOn', 'open', coverDomain(slots, name, kind));
  if (/\b(close|shut|lower|roll down)\b/.test(r) && covers && !OFF_CUE.test(s)) return hit('HassTurnOff', 'close', coverDomain(slots, name, kind));
  if (name && (name.domain === 'scene' || name.domain === 'script' || name.domain === 'valve')) slots.domain = name.domain;
  if (OFF_CUE.test(s) && !/\bon$/.test(s)) return hit('HassTurnOff', 'off', slots);
  // "activate party mode", "start movie mode": something no scene, script or device is called is offered to be taught
  // (as settings of the room's lights), not answered with "I don't know a device called ...".
  const unknown = slots.unknown_name;
  const said = unknown && new RegExp(`\\b${unknown} mode\\b`).test(r) ? `${unknown} mode` : unknown;
  if (said && (/^(activate|enable)\b/.test(r) || (/^(start|begin|turn on|switch on|switch to|go into)\b/.test(r) && said.endsWith(' mode')))) {
    const { unknown_name: _u, device_class: _c, domain: _d, ...where } = slots;
    return hit('HearthApplyConcept', 'concept-mode', { ...where, domain: 'light', unknown_name: said });
  }
  if (/\b(light up|illuminate|brighten up)\b/.test(r) && !name && !kind) return hit('HassTurnOn', 'on', { ...slots, domain: 'light' });
  if (/^(press|push|hit)\b/.test(r) && name?.domain === 'button') return hit('HassTurnOn', 'press', slots);
  if (ON_CUE.test(s)) return hit('HassTurnOn', 'on', slots);
  if (/^(change|switch|set|go) (to|into) (the )?NAME( scene)?\b|^change AREA to (the )?NAME/.test(s) && (name?.domain === 'scene' || name?.domain === 'script')) return hit('HassTurnOn', 'scene', { ...slots, domain: name!.domain });
  if (/\btoggle\b/.test(r)) return hit('HassToggle', 'toggle', slots);
  if (/\bstop\b/.test(r) && (domain === 'cover' || domain === 'vacuum')) return hit('HassTurnOff', 'stop', { ...slots, command: 'stop' });
  return undefined;
};

function lockDomain(slots: IntentSlots, name: { domain: string } | undefined): IntentSlots {
  const out = { ...slots };
  if (!name) { out.domain = 'lock'; delete out.device_class; }
  return out;
}

function coverDomain(slots: IntentSlots, name: { domain: string } | undefined, kind: { domain: string } | undefined): IntentSlots {
  const out = { ...slots };
  if (!name && kind?.domain === 'lock') { out.domain = 'cover'; out.device_class = 'door'; }
  // "close the garage" names a room: what opens and closes there is its covers, not its lights.
  if (!name && !kind && !out.domain) out.domain = 'cover';
  return out;
}

/** "make me a coffee": the drink names the appliance that makes it, when the home has one. */
