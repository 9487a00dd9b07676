/**
 * When a request is for, as people say it: a clock time ("at half past seven", "at a quarter to eight", "at 7 30 pm",
 * "at noon"), a delay ("in half an hour", "in 10 minutes"), a day ("tomorrow", "every morning"), an event ("when I
 * get home", "after the movie") or a length ("for 10 minutes": on now, off later). The hub keeps no schedules, so a device request that names one is answered, never carried out now: read
 * without this, "turn the lights on at half past seven" turned them on at once. Reads normalize()'s words (digits).
 */

const HOUR_WORDS: Readonly<Record<string, number>> = { noon: 12, midday: 12, midnight: 0 };

/** "7:30", "19:05": a clock time as the hub says it back. */
export function clockText(hours: number, minutes: number): string {
  return `${hours}:${String(minutes).padStart(2, '0')}`;
}

const PM = (h: number, part: string | undefined) => (part && /pm|evening|afternoon|night/.test(part) && h < 12 ? h + 12 : part && /am|morning/.test(part) && h === 12 ? 0 : h);
const PART = String.raw`(?: (am|pm|a m|p m|in the morning|in the afternoon|in the evening|at night|o clock|oclock))?`;

/** The clock time of "half past 7", "a quarter to 8", "10 past 7", "7 30 pm", "7 o clock", "noon", or undefined. */
export function clockTime(said: string): { hours: number; minutes: number } | undefined {
  const rel = new RegExp(String.raw`\b(?:a )?(half|quarter|\d{1,2})(?: minutes?)? (past|after|to) (\d{1,2}|noon|midnight)${PART}\b`).exec(said);
  if (rel) {
    const h = HOUR_WORDS[rel[3]!] ?? Number(rel[3]);
    const m = rel[1] === 'half' ? 30 : rel[1] === 'quarter' ? 15 : Number(rel[1]);
    if (h > 23 || m >= 60 || (rel[2] === 'to' && rel[1] === 'half')) return undefined;
    const total = (PM(h, rel[4]) * 60 + (rel[2] === 'to' ? -m : m) + 24 * 60) % (24 * 60);
    return { hours: Math.floor(total / 60), minutes: total % 60 };
  }
  const abs = new RegExp(String.raw`\b(?:at|by|around|until|till) (\d{1,2})(?: (\d{2}))?${PART}\b`).exec(said);
  // "at 7" alone could be a level ("dim it at 7"): a time needs its minutes or am/pm/o'clock.
  if (abs && (abs[2] !== undefined || abs[3] !== undefined)) {
    const h = Number(abs[1]), m = Number(abs[2] ?? 0);
    if (h <= 23 && m < 60) return { hours: PM(h, abs[3]), minutes: m };
  }
  const word = /\b(?:at|by|around|until|till) (noon|midday|midnight)\b/.exec(said);
  return word ? { hours: HOUR_WORDS[word[1]!]!, minutes: 0 } : undefined;
}

const DELAY = /\bin (\d+(?:\.\d+)?|an?|half an?|a quarter of an?|a couple of|a few) (seconds?|minutes?|mins?|hours?)\b/;
const DAYS = /\b(tomorrow|tonight|this (?:morning|afternoon|evening)|every (?:day|morning|afternoon|evening|night|weekday)|(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?|at (?:sunset|sunrise|dusk|dawn|bedtime))\b/;
const EVENT = /\b(?:when|once|as soon as|before|after) (?:i|we|you|someone|somebody|the \w+) (?:get|gets|arrive|arrives|come|comes|leave|leaves|go|goes|wake|wakes|am|is|are|ends|finishes|starts|begins)\b.*$|\b(?:after|before) (?:the|my|our|this) (?:movie|film|show|game|match|meal|dinner|lunch|breakfast|party|meeting|call|news)\b/;
/** "turn on the fan for 10 minutes": on now, and off later, which the hub cannot do. */
const FOR = /\bfor (\d+(?:\.\d+)?|an?|half an?|a couple of|a few) (seconds?|minutes?|mins?|hours?)\b/;

/** When `said` (normalised words) asks for something to happen other than now, in words to say back; else undefined. */
export function later(said: string): string | undefined {
  const t = clockTime(said);
  if (t) return `at ${clockText(t.hours, t.minutes)}`;
  // An event said first ("when I get home turn on ...") ends where the request begins.
  const event = EVENT.exec(said)?.[0].replace(/ (turn|switch|open|close|shut|set|lock|unlock|start|dim|put|please)\b.*$/, '');
  return DELAY.exec(said)?.[0] ?? DAYS.exec(said)?.[0] ?? event ?? FOR.exec(said)?.[0];
}
