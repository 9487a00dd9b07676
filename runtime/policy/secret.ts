/**
 * The PIN is a secret: a turn that carries one (the answer to "say the household PIN", or any run of four or more
 * digits, the PIN's own shape) is stored, published and logged with the digits replaced, and is never learned from.
 */
import { UNITS } from '../nlu/normalize.js';

export const REDACTED = '[PIN]';

/** Digit words as people say PINs ("oh" and "o" for zero). */
const DIGIT_WORDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(UNITS).filter(([, n]) => n < 10).map(([w, n]) => [w, String(n)])), o: '0',
};

/** The runs of digits in a text, digits and digit words alike ("my code is four 3 2 one" -> ["4321"]). */
export function digitRuns(text: string): string[] {
  const runs: string[] = [];
  let run = '';
  for (const token of text.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean)) {
    const d = /^\d+$/.test(token) ? token : DIGIT_WORDS[token];
    if (d !== undefined) { run += d; continue; }
    if (run) runs.push(run);
    run = '';
  }
  if (run) runs.push(run);
  return runs;
}

/** Whether the text holds the PIN, or a digit run shaped like one (4 digits or more). */
export function holdsSecret(text: string, pin: string | null): boolean {
  return digitRuns(text).some((r) => r.length >= 4 || (pin !== null && r.includes(pin)));
}

/** Ids are never secrets: a UUID group such as "-1234-" must not turn a turn id into REDACTED. */
const ID_KEYS: ReadonlySet<string> = new Set(['turnId', 'sessionId', 'requestId', 'deviceId', 'id']);

/** The value with every string that holds one of `secrets` replaced by REDACTED (deep; a copy, the input is left alone). */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  const hides = (s: string) => secrets.some((x) => x && s.includes(x));
  const walk = (v: unknown, key = ''): unknown => {
    if (typeof v === 'string') return !ID_KEYS.has(key) && hides(v) ? REDACTED : v;
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value) as T;
}
