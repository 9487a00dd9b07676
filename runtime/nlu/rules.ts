/**
 * Intent rules, tried in order; the first that matches wins. Each is a small function over the
 * parsed sentence (see parse.ts) that returns Home Assistant's intent name and slots. Written for
 * Hearth from how people phrase home requests; measured with `hearth nlu-eval`.
 */
import type { IntentSlots } from '../types/pipeline.js';
import { all, first, type Parsed } from './parse.js';
import { targetSlots, unknownKindName, unknownWords } from './targets.js';
import { BINARY_CLASS_WORDS, MEDIA_CLASS_WORDS, STATE_WORDS } from './vocabulary.js';
import type { Lexicon } from './lexicon.js';

export interface RuleHit { readonly intent: string; readonly slots: IntentSlots; readonly rule: string }
export type Rule = (p: Parsed, lex: Lexicon) => RuleHit | undefined;

const hit = (intent: string, rule: string, slots: IntentSlots = {}): RuleHit => ({ intent, rule, slots });
const has = (p: Parsed, re: RegExp) => re.test(p.skeleton);
const raw = (p: Parsed) => p.tokens.join(' ');

const QUESTION = /^(is|are|was|were|which|what|whats|how many|how much|how (warm|hot|cold|cool)|who|where|does|do|tell me|check|show me|any|can you tell me|have|has)\b/;
const ON_CUE = /\b(turn|switch|power|flip|put|bring|set) (\S+ ){0,6}?on\b|\bon$|\b(activate|enable|start|illuminate|light up|run|launch|fire up|boot up)\b|\bon (in|at) /;
const OFF_CUE = /\b(turn|switch|power|shut|put|bring|flip|set) (\S+ ){0,6}?off\b|\boff$|\b(deactivate|disable|kill|cut)\b|\boff (in|at) |\bKIND out\b/;

/** PINs and other digit strings: "1 2 3 4" or "1234". */
const digits: Rule = (p) => {
  if (!/^(NUM ?)+$/.test(p.skeleton.replace(/\b(my|the|pin|code|is|it)\b/g, '').trim())) return undefined;
  // Typed digits keep their leading zeros ("0123" is not 123); spoken ones come digit by digit.
  const typed = p.tokens.filter((t) => /^\d+$/.test(t));
  const d = typed.length === p.numbers.length ? typed.join('') : p.numbers.map((n) => String(n)).join('');
  return /^\d{3,12}$/.test(d) ? hit('HearthDigits', 'digits', { digits: d }) : undefined;
};

const yesNo: Rule = (p) => {
  const s = p.skeleton;
  if (/^(yes|yeah|yep|yup|sure|ok|okay|do it|confirm|confirmed|correct|right|go ahead|please do|affirmative)( please| do it)?$/.test(s)) return hit('HearthYes', 'yes');
  if (/^(no|nope|nah|do not|dont|negative|no thanks|no thank you|wrong|that is wrong|not that|stop)$/.test(s)) return hit('HearthNo', 'no');
  if (/^(no |nope )?(that is (wrong|not right|not what i (said|meant|asked))|not what i (said|meant|asked))$/.test(s)) return hit('HearthNo', 'no');
  return undefined;
};

const nevermind: Rule = (p) => (/^(never mind|forget it|cancel that|cancel|nothing|ignore that|forget that)$/.test(p.skeleton) ? hit('HassNevermind', 'nevermind') : undefined);

const respond: Rule = (p) => {
  const s = p.skeleton;
  if (/^(hi|hello|hey|good (morning|evening|afternoon))( there)?( home assistant| NAME)?$/.test(s)) return hit('HassRespond', 'greeting');
  if (/\bwhat can (i|you) (say|do|ask)\b|^help( me)?$|\bhow do i use you\b/.test(s)) return hit('HassRespond', 'help');
  if (/\bwhere (does|do) my (data|recordings|voice)\b|\bprivacy\b|\bare you listening\b/.test(s)) return hit('HassRespond', 'privacy');
  return undefined;
};

const timeDate: Rule = (p) => {
  const s = raw(p);
  if (/\bwhat time is it\b|\bwhat is the time\b|\btell me the time\b|\bcurrent time\b|^time$|\bthe time (now|please)\b/.test(s)) return hit('HassGetCurrentTime', 'time');
  if (!first(p, 'name') && (/\b(what|tell me|which) (is )?(the |today )?(date|day)\b|\bwhat day is (it|today)\b|\btoday date\b|\bdate today\b/.test(s))) return hit('HassGetCurrentDate', 'date');
  return undefined;
};

const weather: Rule = (p) => {
  if (!/\b(weather|forecast|raining|sunny outside)\b/.test(raw(p))) return undefined;
  const name = first(p, 'name');
  return hit('HassGetWeather', 'weather', name ? { name: name.value } : {});
};

/** Durations: "5 minutes", "1 and a half hours", "half an hour", "1 hour 15 minute 30 second". */
export function duration(s: string): { hours?: number; minutes?: number; seconds?: number } | undefined {
  const out: { hours?: number; minutes?: number; seconds?: number } = {};
  const unit = (u: string) => (u.startsWith('h') ? 'hours' : u.startsWith('m') ? 'minutes' : 'seconds');
  const add = (k: 'hours' | 'minutes' | 'seconds', v: number) => {
    const whole = Math.floor(v);
    if (whole > 0) out[k] = (out[k] ?? 0) + whole;
    const frac = v - whole;
    if (frac > 0) {
      if (k === 'hours') out.minutes = (out.minutes ?? 0) + Math.round(frac * 60);
      else if (k === 'minutes') out.seconds = (out.seconds ?? 0) + Math.round(frac * 60);
    }
  };
  let found = false;
  const re = /\b(?:(\d+(?:\.\d+)?)( and a half| and half)?|(half|a half)( an?)?|an?)\s+(hours?|hrs?|minutes?|mins?|seconds?|secs?)\b/g;
  for (const m of s.matchAll(re)) {
    const k = unit(m[5]!);
    let v = m[1] !== undefined ? Number(m[1]) : m[3] ? 0.5 : 1;
    if (m[2]) v += 0.5;
    add(k, v);
    found = true;
  }
  return found ? out : undefined;
}

const timers: Rule = (p) => {
  const s = raw(p);
  const hasTimer = /\btimers?\b/.test(s);
  const startCue = /^(set|start|create|make|begin)\b/.test(p.skeleton);
  if (!hasTimer && !(startCue && duration(s) && !first(p, 'name') && !first(p, 'kind'))) return undefined;
  const slots: IntentSlots = {};
  const area = first(p, 'area');
  if (area) slots.area = area.value;
  // The timer a command refers to: "5 minute timer", "timer for 1 hour", "pizza timer", "timer for pizza".
  const named = /\b(?:called|named) ([a-z ]+?)(?: for \d|$)/.exec(s) ?? /\btimer for (?!\d|an?\b|half)([a-z]+)\b/.exec(s) ?? /\b(?:my|the|a|an)? ?([a-z]+) timer\b/.exec(s);
  const nonNames = /^(the|my|a|an|this|that|all|kitchen|minute|hour|second|minutes|hours|seconds|status|set|start|stop|cancel|pause|resume|continue|existing|current|remove|from|to|by|off|of|add|on|in|for|take|decrease|increase)$/;
  if (named && !nonNames.test(named[1]!.trim()) && !(area && named[1]!.includes(area.value.toLowerCase()))) slots.name = named[1]!.trim();
  const ref = /\b(\d+) (hour|minute|second)s? timer\b|\btimer for (\d+) (hour|minute|second)s?\b/.exec(s);
  // The timer's starting length names which timer is meant: start_hours / start_minutes / start_seconds.
  const which: IntentSlots = ref ? ({ [`start_${(ref[2] ?? ref[4])!}s`]: Number(ref[1] ?? ref[3]) } as IntentSlots) : {};
  if (/\b(cancel|stop|delete|remove|end|clear|turn off|kill)\b/.test(s) && !/\b(from|by)\b/.test(s)) {
    if (/\ball\b.*\btimers\b|\btimers\b/.test(s) && /\ball|every\b/.test(s)) return hit('HassCancelAllTimers', 'timer-cancel-all');
    return hit('HassCancelTimer', 'timer-cancel', { ...slots, ...which });
  }
  if (/\b(pause|hold|freeze)\b/.test(s)) return hit('HassPauseTimer', 'timer-pause', { ...slots, ...which });
  if (/\b(resume|continue|unpause|restart)\b/.test(s)) return hit('HassUnpauseTimer', 'timer-unpause', { ...slots, ...which });
  const change = /\b(add|increase|extend|plus|remove|take|decrease|subtract|reduce|minus|shorten)\b/.exec(s);
  if (change) {
    const up = /add|increase|extend|plus/.test(change[1]!);
    // The amount is the duration not attached to "timer".
    const amount = s.replace(/\b\d+ (hour|minute|second)s? timer\b|\btimer for \d+ (hour|minute|second)s?\b/g, ' ');
    const d = duration(amount);
    return hit(up ? 'HassIncreaseTimer' : 'HassDecreaseTimer', up ? 'timer-increase' : 'timer-decrease', { ...slots, ...(d ?? {}), ...which });
  }
  if (/\b(status|left|remaining|how long|how much time)\b/.test(s)) return hit('HassTimerStatus', 'timer-status', { ...slots, ...which });
  const d = duration(s);
  if (d) {
    if (slots.name && /^\d/.test(slots.name)) delete slots.name;
    return hit('HassStartTimer', 'timer-start', { ...slots, ...d });
  }
  return undefined;
};

const lists: Rule = (p, lex) => {
  const s = raw(p);
  const listNames = lex.devices.filter((d) => d.domain === 'todo').map((d) => d.name);
  const listRe = '(?:my |the |our )?([a-z ]*?) ?list';
  const add = new RegExp(`^(?:add|put|write) (.+?) (?:to|on|onto) ${listRe}$`).exec(s);
  const done = new RegExp(`^(?:check off|check|complete|cross off|cross|tick off|mark|delete|remove) (.+?) (?:off )?(?:as done )?(?:from|on|off|in) (?:from )?${listRe}$`).exec(s);
  const m = add ?? done;
  if (!m) return undefined;
  const item = m[1]!.replace(/^(the|some) /, '');
  const listWord = m[2]!.trim();
  const todo = listNames.find((n) => lex.tagsOf(listWord).some((t) => t.kind === 'name' && t.value === n));
  if (todo) return hit(add ? 'HassListAddItem' : 'HassListCompleteItem', 'todo', { item, name: todo });
  return hit(add ? 'HassShoppingListAddItem' : 'HassShoppingListCompleteItem', 'shopping', { item });
};

function mediaTarget(p: Parsed): IntentSlots {
  const t = targetSlots(p);
  const out: IntentSlots = {};
  if (t.name) out.name = t.name;
  if (t.area) out.area = t.area;
  if (t.here) out.here = true;
  return out;
}

const media: Rule = (p) => {
  const s = p.skeleton;
  const r = raw(p);
  const name = first(p, 'name');
  const isMediaName = !name || name.domain === 'media_player';
  if (!isMediaName) return undefined;
  if (/\bvolume\b/.test(r) && p.numbers.length > 0) return hit('HassSetVolume', 'volume', { ...mediaTarget(p), volume_level: p.numbers[p.numbers.length - 1]! });
  if (/^(NAME |AREA )?(pause|stop)\b|\b(pause|stop) (the )?(music|media|song|track|playback|tv|NAME|movie|video|AREA)\b|\bpause$/.test(s) && !/\bKIND\b/.test(s.replace(/\bKIND\b(?= player)/, ''))) return hit('HassMediaPause', 'media-pause', mediaTarget(p));
  if (/^(NAME )?(resume|unpause)\b|\b(resume|unpause|continue) (the )?(music|media|playback|song|NAME|video)\b/.test(s)) return hit('HassMediaUnpause', 'media-unpause', mediaTarget(p));
  if (/\b(skip|next)\b( (song|track|item|one|episode|chapter))?|\bskip\b/.test(s) && !/\btimer\b/.test(s)) return hit('HassMediaNext', 'media-next', mediaTarget(p));
  if (/\b(previous|go back|replay|last (song|track) again|play (the )?last (song|track)|play (it|that) again)\b/.test(s)) return hit('HassMediaPrevious', 'media-previous', mediaTarget(p));
  const play = /^(play|put on|listen to|watch) (.+)$/.exec(r);
  if (play && !first(p, 'kind')?.domain.match(/light|switch|fan|cover/)) {
    let q = play[2]!;
    const slots: IntentSlots = {};
    const area = first(p, 'area');
    if (area) {
      const at = new RegExp(`\\s*\\b(in|on|at) (the )?${escape(area.value.toLowerCase())}$`);
      if (at.test(q)) { slots.area = area.value; q = q.replace(at, ''); }
    }
    if (name) {
      const on = new RegExp(`\\s*\\b(on|in|through) (the )?${escape(name.value.toLowerCase())}$`);
      if (on.test(q)) { slots.name = name.value; q = q.replace(on, ''); }
    }
    for (const [w, cls] of Object.entries(MEDIA_CLASS_WORDS).sort((a, b) => b[0].length - a[0].length)) {
      const re = new RegExp(`^(the )?${w} (.+)$|^(the )?(.+) ${w}$`);
      const m = re.exec(q);
      if (m) { slots.media_class = cls; q = (m[2] ?? m[4])!; break; }
    }
    q = q.replace(/^the (?=.+ (playlist|album)$)/, '');
    const original = recoverCase(p.text, q);
    return hit('HassMediaSearchAndPlay', 'media-play', { ...slots, search_query: original });
  }
  return undefined;
};

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Finds the normalised query in the original text to keep its capitals ("The Office"). */
function recoverCase(original: string, q: string): string {
  const i = original.toLowerCase().indexOf(q);
  return i >= 0 ? original.slice(i, i + q.length) : q;
}

const climateSet: Rule = (p) => {
  const r = raw(p);
  if (!/\b(temp|temperature|thermostat|heat|heating|degrees|warmer|cooler)\b/.test(r) || p.numbers.length === 0) return undefined;
  if (!/\b(set|change|turn|make|put|adjust|increase|decrease|raise|lower)\b|\bto NUM\b/.test(p.skeleton)) return undefined;
  const t = targetSlots(p);
  const slots: IntentSlots = { temperature: p.numbers[p.numbers.length - 1]! };
  if (t.area) slots.area = t.area;
  if (t.floor) slots.floor = t.floor;
  if (t.name) slots.name = t.name;
  if (t.here) slots.here = true;
  return hit('HassClimateSetTemperature', 'climate-set', slots);
};

const climateGet: Rule = (p) => {
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

const lightSet: Rule = (p) => {
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
  const up = /\b(brighten|brighter|more light|increase|raise|turn (\S+ ){0,4}up|too dark|dark)\b/.test(r);
  const down = /\b(dim|dimmer|darker|less bright|lower|decrease|reduce|turn (\S+ ){0,4}down|too bright|low)\b/.test(r);
  if (down && !up && !OFF_CUE.test(s)) return hit('HassLightSet', 'light-step', { ...base, brightness_step: 'down' });
  if (up && !/\blight up\b/.test(r)) return hit('HassLightSet', 'light-step', { ...base, brightness_step: 'up' });
  if (/\b(down)\b/.test(r) && !OFF_CUE.test(s)) return hit('HassLightSet', 'light-step', { ...base, brightness_step: 'down' });
  if (/\b(up|bright)\b/.test(r) && !/\blight up\b/.test(r)) return hit('HassLightSet', 'light-step', { ...base, brightness_step: 'up' });
  return undefined;
};

const setPosition: Rule = (p) => {
  const name = first(p, 'name');
  const kind = first(p, 'kind');
  const domain = name?.domain ?? kind?.domain;
  if ((domain !== 'cover' && domain !== 'valve') || p.numbers.length === 0) return undefined;
  if (!/\b(set|open|close|change|move|put|raise|lower|to)\b/.test(p.skeleton)) return undefined;
  const t = targetSlots(p);
  return hit('HassSetPosition', 'position', { ...t, domain, position: p.numbers[p.numbers.length - 1]! });
};

/** Yes/no and counting questions about state: "is the front door locked", "which lights are on". */
const getState: Rule = (p) => {
  const s = p.skeleton;
  const r = raw(p);
  if (!QUESTION.test(s)) return undefined;
  const t = targetSlots(p);
  const name = first(p, 'name');
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
  const adjective = binaryAdjective(r);
  const binaryName = name?.domain === 'binary_sensor';
  if ((binary || (adjective && !kind && (!name || binaryName))) && (!name || binaryName)) {
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

function binaryAdjective(r: string): { deviceClass: string; on: boolean } | undefined {
  for (const [re, deviceClass, on] of BINARY_ADJECTIVES) if (re.test(r)) return { deviceClass, on };
  return undefined;
}

const vacuum: Rule = (p) => {
  const r = raw(p);
  const name = first(p, 'name');
  const kind = first(p, 'kind');
  const isVac = name?.domain === 'vacuum' || kind?.domain === 'vacuum' || /\b(clean|cleaning|vacuum|vacuuming|hoover|hoovering|suck|sweep|dust|mop)\b/.test(r) && !name && !/\b(light|lamp)/.test(r);
  if (!isVac) return undefined;
  const t = targetSlots(p);
  const slots: IntentSlots = {};
  if (name) slots.name = name.value;
  if (t.area) slots.area = t.area;
  if (/\b(dock|return|go home|base|charge|back)\b/.test(r) || OFF_CUE.test(p.skeleton) || /\bstop\b/.test(r)) return hit('HassVacuumReturnToBase', 'vacuum-dock', slots);
  return hit('HassVacuumStart', 'vacuum-start', slots);
};

const onOff: Rule = (p) => {
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
  if (/\b(open|raise|roll up)\b/.test(r) && (opening || !domain)) return hit('HassTurnOn', 'open', coverDomain(slots, name, kind));
  if (/\b(close|shut|lower|roll down)\b/.test(r) && (opening || !domain) && !OFF_CUE.test(s)) return hit('HassTurnOff', 'close', coverDomain(slots, name, kind));
  if (name && (name.domain === 'scene' || name.domain === 'script' || name.domain === 'valve')) slots.domain = name.domain;
  if (OFF_CUE.test(s) && !/\bon$/.test(s)) return hit('HassTurnOff', 'off', slots);
  if (/\b(light up|illuminate|brighten up)\b/.test(r) && !name && !kind) return hit('HassTurnOn', 'on', { ...slots, domain: 'light' });
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
  return out;
}

/** "make me a coffee": the drink names the appliance that makes it, when the home has one. */
const drinks: Rule = (p, lex) => {
  const r = raw(p);
  const m = /\b(coffee|espresso|cappuccino|latte|tea|kettle)\b/.exec(r);
  if (!m || OFF_CUE.test(p.skeleton)) return undefined;
  const word = m[1] === 'espresso' || m[1] === 'cappuccino' || m[1] === 'latte' ? 'coffee' : m[1]!;
  const named = first(p, 'name');
  const maker = named && new RegExp(`\\b${word}\\b`, 'i').test(named.value) ? named.value : lex.devices.find((d) => new RegExp(`\\b${word}\\b`, 'i').test(d.name))?.name;
  return maker ? hit('HassTurnOn', 'drink', { name: maker }) : undefined;
};

/** "set the bedroom lamp to study mode": a device and words the hub does not know yet. */
const unknownSetting: Rule = (p) => {
  const m = /^(set|put|switch|change|turn) (the )?(NAME|AREA KIND|KIND) (to|into|in) (.+)$/.exec(p.skeleton);
  if (!m || /NUM|COLOR|WHITE|NAME|KIND|AREA|FLOOR|MEASURE|\b(here|max|maximum|min|minimum|brightness|bright|on|off|up|down)\b/.test(m[5]!)) return undefined;
  const t = targetSlots(p);
  const setting = /\b(?:to|in|into|on) (?:the )?([a-z ]+)$/.exec(raw(p))?.[1];
  if (!setting || /^(on|off)$/.test(setting)) return undefined;
  return hit('HearthApplyConcept', 'concept', { ...t, unknown_name: setting.replace(/^the /, '') });
};

/** "forget study mode", "what is study mode": talking about what was taught (last: every other reading wins). */
const conceptTalk: Rule = (p) => {
  if (p.spans.length > 0) return undefined;
  const r = raw(p);
  const forget = /^(forget|unlearn|delete) (about )?(what )?(the )?(.+?)( is| means)?$/.exec(r);
  if (forget) return hit('HearthForgetConcept', 'concept-forget', { unknown_name: forget[5]! });
  const what = /^what (is|does|means|was) (a |an |the )?(.+?)( mean| means| again)?$/.exec(r);
  if (what && what[3]!.split(' ').length <= 4) return hit('HearthDescribeConcept', 'concept-describe', { unknown_name: what[3]! });
  return undefined;
};

/** Order matters: specific shapes before the broad on/off and question rules. */
export const RULES: readonly [string, Rule][] = [
  ['digits', digits], ['yes-no', yesNo], ['nevermind', nevermind], ['respond', respond], ['time-date', timeDate],
  ['weather', weather], ['timers', timers], ['lists', lists], ['climate-set', climateSet], ['climate-get', climateGet],
  ['position', setPosition], ['state', getState], ['media', media], ['light-set', lightSet],
  ['vacuum', vacuum], ['drinks', drinks], ['on-off', onOff], ['unknown-setting', unknownSetting], ['concept-talk', conceptTalk],
];
