/**
 * How a recognised intent is scored against an expected one (Home Assistant's test format):
 * the intent name must match and every expected slot must be present with an equal value (strings
 * case-insensitively, a list means any of its values). Extra slots are not failures. HA writes
 * `name: all` for "every device matching the other slots"; that matches a result without a name.
 */
import type { IntentMatch, IntentSlots } from '../../../runtime/types/pipeline.js';

export interface Expected {
  readonly name: string;
  readonly slots: Readonly<Record<string, unknown>>;
}

export function compare(expected: Expected, got: IntentMatch | undefined, slots: IntentSlots | undefined): string | undefined {
  if (!got) return `no intent (expected ${expected.name})`;
  if (got.intent !== expected.name) return `intent ${got.intent}, expected ${expected.name}`;
  const actual = (slots ?? got.slots) as Record<string, unknown>;
  for (const [key, want] of Object.entries(expected.slots)) {
    const have = actual[key];
    if (key === 'name' && want === 'all') {
      if (have !== undefined) return `slot name=${String(have)}, expected all`;
      continue;
    }
    const options = Array.isArray(want) ? want : [want];
    if (!options.some((w) => same(w, have))) return `slot ${key}=${have === undefined ? '(none)' : JSON.stringify(have)}, expected ${JSON.stringify(want)}`;
  }
  return undefined;
}

function same(want: unknown, have: unknown): boolean {
  if (have === undefined) return false;
  if (typeof want === 'number' || typeof have === 'number') return Number(want) === Number(have);
  return String(want).trim().toLowerCase() === String(have).trim().toLowerCase();
}
