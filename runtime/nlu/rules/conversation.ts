/** Rules for what is not a device: answers (digits, yes, no, never mind), time and date, weather, timers, lists, drinks, taught concepts. */
import type { IntentSlots } from '../../types/pipeline.js';
import { all, first, type Parsed } from '../parse.js';
import { targetSlots } from '../targets.js';
import { DEVICE_KIND_WORDS } from '../vocabulary.js';
import { duration, timerReference, withoutReference } from '../durations.js';
import { hit, raw, OFF_CUE, type Rule } from './common.js';

export { duration };

/** PINs and other digit strings: "1 2 3 4" or "1234". */
export const digits: Rule = (p) => {
  if (!/^(NUM ?)+$/.test(p.skeleton.replace(/\b(my|the|pin|code|is|it)\b/g, '').trim())) return undefined;
  // Typed digits keep their leading zeros ("0123" is not 123); spoken ones come digit by digit.
  const typed = p.tokens.filter((t) => /^\d+$/.test(t));
  const d = typed.length === p.numbers.length ? typed.join('') : p.numbers.map((n) => String(n)).join('');
  return /^\d{3,12}$/.test(d) ? hit('HearthDigits', 'digits', { digits: d }) : undefined;
};

export const yesNo: Rule = (p) => {
  const s = p.skeleton;
  if (/^(yes|yeah|yep|yup|sure|ok|okay|do it|confirm|confirmed|correct|right|go ahead|please do|affirmative)( please| do it)?$/.test(s)) return hit('HearthYes', 'yes');
  if (/^(no|nope|nah|do not|dont|negative|no thanks|no thank you|wrong|that is wrong|not that|stop)$/.test(s)) return hit('HearthNo', 'no');
  if (/^(no |nope )?(that is (wrong|not right|not what i (said|meant|asked))|not what i (said|meant|asked))$/.test(s)) return hit('HearthNo', 'no');
  return undefined;
};

export const nevermind: Rule = (p) => (/^(never mind|forget it|cancel that|cancel|nothing|ignore that|forget that)$/.test(p.skeleton) ? hit('HassNevermind', 'nevermind') : undefined);

export const respond: Rule = (p) => {
  const s = p.skeleton;
  if (/^(hi|hello|hey|good (morning|evening|afternoon))( there)?( home assistant| NAME)?$/.test(s)) return hit('HassRespond', 'greeting');
  if (/\bwhat can (i|you) (say|do|ask)\b|^help( me)?$|\bhow do i use you\b/.test(s)) return hit('HassRespond', 'help');
  if (/\bwhere (does|do) my (data|recordings|voice)\b|\bprivacy\b|\bare you listening\b/.test(s)) return hit('HassRespond', 'privacy');
  return undefined;
};

export const timeDate: Rule = (p) => {
  const s = raw(p);
  if (/\bwhat time is it\b|\bwhat is the time\b|\btell me the time\b|\bcurrent time\b|^time$|\bthe time (now|please)\b/.test(s)) return hit('HassGetCurrentTime', 'time');
  if (!first(p, 'name') && (/\b(what|tell me|which) (is )?(the |today )?(date|day)\b|\bwhat day is (it|today)\b|\btoday date\b|\bdate today\b/.test(s))) return hit('HassGetCurrentDate', 'date');
  return undefined;
};

export const weather: Rule = (p) => {
  if (!/\b(weather|forecast|raining|sunny outside)\b/.test(raw(p))) return undefined;
  const name = first(p, 'name');
  // A place that is no part of this home ("in New York"): the hub has only its own weather, and says so.
  const place = name || first(p, 'area') ? undefined : /\b(?:weather|forecast)\b(?: like)? (?:in|for|at) (?!here\b|outside\b)(.+)$/.exec(raw(p))?.[1];
  return hit('HassGetWeather', 'weather', name ? { name: name.value } : place ? { place } : {});
};

export const timers: Rule = (p) => {
  const s = raw(p);
  const hasTimer = /\btimers?\b/.test(s);
  const startCue = /^(set|start|create|make|begin)\b/.test(p.skeleton);
  // "how much time is left": a timer is the only thing here that has time left.
  const leftCue = /^(how much (more )?time (is )?(left|remaining)|how (much )?longer|how long (is )?left|time left)$/.test(p.skeleton);
  if (leftCue) return hit('HassTimerStatus', 'timer-status');
  if (!hasTimer && !(startCue && duration(s) && !first(p, 'name') && !first(p, 'kind'))) return undefined;
  const slots: IntentSlots = {};
  const area = first(p, 'area');
  if (area) slots.area = area.value;
  // The timer a command refers to: "5 minute timer", "timer for 1 hour", "pizza timer", "timer for pizza".
  const named = /\b(?:called|named) ([a-z ]+?)(?: for \d|$)/.exec(s) ?? /\btimer for (?!\d|an?\b|half)([a-z]+)\b/.exec(s) ?? /\b(?:my|the|a|an)? ?([a-z]+) timer\b/.exec(s);
  const nonNames = /^(the|my|a|an|this|that|all|kitchen|minute|hour|second|minutes|hours|seconds|status|set|start|stop|cancel|pause|resume|continue|existing|current|remove|from|to|by|off|of|add|on|in|for|take|decrease|increase)$/;
  if (named && !nonNames.test(named[1]!.trim()) && !(area && named[1]!.includes(area.value.toLowerCase()))) slots.name = named[1]!.trim();
  const which = timerReference(s);
  if (/\b(cancel|stop|delete|remove|end|clear|turn off|kill)\b/.test(s) && !/\b(from|by)\b/.test(s)) {
    if (/\ball\b.*\btimers\b|\btimers\b/.test(s) && /\ball|every\b/.test(s)) return hit('HassCancelAllTimers', 'timer-cancel-all');
    return hit('HassCancelTimer', 'timer-cancel', { ...slots, ...which });
  }
  if (/\b(pause|hold|freeze)\b/.test(s)) return hit('HassPauseTimer', 'timer-pause', { ...slots, ...which });
  if (/\b(resume|continue|unpause|restart)\b/.test(s)) return hit('HassUnpauseTimer', 'timer-unpause', { ...slots, ...which });
  const change = /\b(add|increase|extend|plus|remove|take|decrease|subtract|reduce|minus|shorten)\b/.exec(s);
  if (change) {
    const up = /add|increase|extend|plus/.test(change[1]!);
    const d = duration(withoutReference(s));
    return hit(up ? 'HassIncreaseTimer' : 'HassDecreaseTimer', up ? 'timer-increase' : 'timer-decrease', { ...slots, ...(d ?? {}), ...which });
  }
  if (/\b(status|left|remaining|how long|how much time)\b/.test(s)) return hit('HassTimerStatus', 'timer-status', { ...slots, ...which });
  const d = duration(s);
  if (d) {
    if (slots.name && /^\d/.test(slots.name)) delete slots.name;
    return hit('HassStartTimer', 'timer-start', { ...slots, ...d });
  }
  // "set a timer" with no length: the hub asks for one.
  return startCue ? hit('HassStartTimer', 'timer-start', slots) : undefined;
};

export const lists: Rule = (p, lex) => {
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


export const drinks: Rule = (p, lex) => {
  const r = raw(p);
  const m = /\b(coffee|espresso|cappuccino|latte|tea|kettle)\b/.exec(r);
  if (!m || OFF_CUE.test(p.skeleton)) return undefined;
  const word = m[1] === 'espresso' || m[1] === 'cappuccino' || m[1] === 'latte' ? 'coffee' : m[1]!;
  const named = first(p, 'name');
  const maker = named && new RegExp(`\\b${word}\\b`, 'i').test(named.value) ? named.value : lex.devices.find((d) => new RegExp(`\\b${word}\\b`, 'i').test(d.name))?.name;
  return maker ? hit('HassTurnOn', 'drink', { name: maker }) : undefined;
};

/** "set the bedroom lamp to study mode": a device and words the hub does not know yet. */
export const unknownSetting: Rule = (p) => {
  const m = /^(set|put|switch|change|turn) (the )?(NAME|AREA KIND|KIND) (to|into|in) (.+)$/.exec(p.skeleton);
  if (!m || /NUM|COLOR|WHITE|NAME|KIND|AREA|FLOOR|MEASURE|\b(here|max|maximum|min|minimum|brightness|bright|on|off|up|down)\b/.test(m[5]!)) return undefined;
  const t = targetSlots(p);
  const setting = /\b(?:to|in|into|on) (?:the )?([a-z ]+)$/.exec(raw(p))?.[1];
  if (!setting || /^(on|off)$/.test(setting)) return undefined;
  return hit('HearthApplyConcept', 'concept', { ...t, unknown_name: setting.replace(/^the /, '') });
};

/** "forget study mode", "what is study mode": talking about what was taught (last: every other reading wins). */
export const conceptTalk: Rule = (p) => {
  if (p.spans.length > 0) return undefined;
  const r = raw(p);
  const forget = /^(forget|unlearn|delete) (about )?(what )?(the )?(.+?)( is| means)?$/.exec(r);
  if (forget) return hit('HearthForgetConcept', 'concept-forget', { unknown_name: forget[5]! });
  const what = /^what (is|does|means|was) (a |an |the )?(.+?)( mean| means| again)?$/.exec(r);
  if (what && what[3]!.split(' ').length <= 4) return hit('HearthDescribeConcept', 'concept-describe', { unknown_name: what[3]! });
  return undefined;
};

