/**
 * How a recognised intent is scored against an expected one (Home Assistant's test format):
 * the intent name must match and every expected slot must be present with an equal value (strings
 * case-insensitively, a list means any of its values). Extra slots are not failures. HA writes
 * `name: all` for "every device matching the other slots"; that matches a result without a name. A fixture name
 * written as a template (HA's "Trader Joe[']s") matches any way it can be said ("Trader Joes"), as in hassil.
 */
import { parseTemplate, type TemplateNode } from '../../../runtime/nlu/templates/parse.js';
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
  const said = (x: string) => x.trim().toLowerCase();
  const forms = /[[(]/.test(String(have)) ? spoken(parseTemplate(String(have))) : [String(have)];
  return forms.some((f) => said(f) === said(String(want)));
}

/** Every way a (small) template can be said: a fixture name's variants. */
function spoken(n: TemplateNode): string[] {
  switch (n.k) {
    case 'text': return [n.text];
    case 'seq': return n.items.reduce<string[]>((acc, x) => acc.flatMap((a) => spoken(x).map((b) => a + b)), ['']);
    case 'alt': return [...n.options.flatMap(spoken), ...(n.optional ? [''] : [])];
    default: return [];
  }
}
