/**
 * Lengths of time as people say them, for the timer intents: the amount a timer runs or changes by (hours, minutes,
 * seconds), and the length that names which timer is meant ("cancel the 5 minute timer": start_minutes). Read by the
 * rules and by Hearth's own templates alike, so both give a sentence the same slots.
 */
import type { IntentSlots } from '../types/pipeline.js';

/** Durations: "5 minutes", "1 and a half hours", "half an hour", "1 hour 15 minute 30 second". */
export function duration(said: string): { hours?: number; minutes?: number; seconds?: number } | undefined {
  // Quarters of an hour first: "a quarter of an hour" must not read as "an hour".
  const s = said.replace(/\b(?:a|1) quarter (?:of an? )?hour\b/g, '15 minutes').replace(/\b3 quarters? (?:of an? )?hour\b/g, '45 minutes');
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

const REFERENCE = /\b(\d+) (hour|minute|second)s? timer\b|\btimer for (\d+) (hour|minute|second)s?\b/;

/** The timer's starting length that names which timer is meant: start_hours / start_minutes / start_seconds. */
export function timerReference(said: string): IntentSlots {
  const ref = REFERENCE.exec(said);
  return ref ? ({ [`start_${(ref[2] ?? ref[4])!}s`]: Number(ref[1] ?? ref[3]) } as IntentSlots) : {};
}

/** The words with the naming length taken out: what is left is the amount ("add 2 minutes to the 5 minute timer"). */
export const withoutReference = (said: string) => said.replace(new RegExp(REFERENCE.source, 'g'), ' ');

/** The slots of a timer intent's amounts, from the sentence's normalised words. */
export function timerSlots(intent: string, said: string): IntentSlots {
  if (intent === 'HassStartTimer') return duration(said) ?? {};
  if (intent === 'HassIncreaseTimer' || intent === 'HassDecreaseTimer') return { ...duration(withoutReference(said)), ...timerReference(said) };
  if (intent === 'HassCancelTimer' || intent === 'HassPauseTimer' || intent === 'HassUnpauseTimer' || intent === 'HassTimerStatus') return timerReference(said);
  return {};
}
