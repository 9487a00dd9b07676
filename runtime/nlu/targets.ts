/** Slots that say which devices a request is about: shared by every control and query rule. */
import type { IntentSlots } from '../types/pipeline.js';
import { all, first, type Parsed } from './parse.js';
import { CARRIER_WORDS } from './vocabulary.js';

const HERE = /\b(here|in here|this room|in this room|the room)\b/;
const EVERYWHERE = /\b(everywhere|all over|whole house|whole home|entire home|entire house|the house|the home|our home|my home|in the apartment|every room|all rooms|all my rooms|each room|every area|all areas|all the rooms|across the house|in the flat|in my apartment|in the apartment|throughout the house)\b/;
const ALL = /\b(all|every|each|everything|any)\b/;
/** Words for "whatever is there" ("all devices in the hallway"): not the name of a device the home lacks. */
const GENERIC = /^(devices?|things?|stuff|appliances?|electronics)$/;

export function targetSlots(p: Parsed): IntentSlots {
  const slots: IntentSlots = {};
  const name = first(p, 'name');
  const area = first(p, 'area');
  const floor = first(p, 'floor');
  const kind = first(p, 'kind');
  if (name) slots.name = name.value;
  if (area) slots.area = area.value;
  if (floor) slots.floor = floor.value;
  if (kind && !name) {
    slots.domain = kind.domain;
    if (kind.deviceClass) slots.device_class = kind.deviceClass;
    if (!kind.plural) slots.singular = true;
  }
  const text = p.tokens.join(' ');
  if (HERE.test(text)) slots.here = true;
  if (!area && !floor && EVERYWHERE.test(text)) slots.everywhere = true;
  if (ALL.test(p.skeleton)) slots.all = true;
  if (/\b(it|that)\b/.test(p.skeleton) && !name && !kind && !area) slots.reference = 'it';
  if (/\b(them|those|they)\b/.test(p.skeleton) && !name && !kind && !area) slots.reference = 'them';
  if (all(p, 'name').length > 1) slots.all = true;
  return slots;
}

/** Drops undefined values so slot objects compare and serialise cleanly. */
export function clean(slots: IntentSlots): IntentSlots {
  return Object.fromEntries(Object.entries(slots).filter(([, v]) => v !== undefined)) as IntentSlots;
}

/** Untagged words that are not carrier words: what the sentence named that the home does not know. */
export function unknownWords(p: Parsed): string | undefined {
  const covered = new Set<number>();
  for (const s of p.spans) for (let i = s.start; i < s.end; i++) covered.add(i);
  const words = p.tokens.filter((t, i) => !covered.has(i) && !CARRIER_WORDS.has(t) && !ALL.test(t) && !GENERIC.test(t) && !/^\d/.test(t));
  return words.length > 0 ? words.join(' ') : undefined;
}

/**
 * A name the home does not know, made of unknown words and a kind word: "the mood lighting", "the reading lamp". The
 * kind alone would mean every light here, so the request would switch devices it did not name; it is an unknown name.
 */
/** Determiners and quantifiers before a kind word ("each light", "every single lamp", "the house lights"): not names. */
const QUANTIFIERS = new Set(['each', 'every', 'single', 'entire', 'whole', 'house', 'home', 'both', 'some', 'other', 'these', 'those', 'this', 'that',
  'my', 'our', 'your', 'their', 'his', 'her', 'its', 'any', 'remaining', 'rest', 'of']);

export function unknownKindName(p: Parsed): string | undefined {
  const kind = p.spans.find((s) => s.tag.kind === 'kind');
  if (!kind) return undefined;
  const covered = new Set<number>();
  for (const s of p.spans) for (let i = s.start; i < s.end; i++) covered.add(i);
  let i = kind.start;
  const named = (t: string) => !CARRIER_WORDS.has(t) && !QUANTIFIERS.has(t) && !/^\d/.test(t);
  while (i > 0 && !covered.has(i - 1) && named(p.tokens[i - 1]!)) i--;
  return i < kind.start ? [...p.tokens.slice(i, kind.start), kind.text].join(' ') : undefined;
}
