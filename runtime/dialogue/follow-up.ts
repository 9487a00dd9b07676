/**
 * Elliptical follow-ups: a fragment right after a request keeps that request and changes one slot.
 * "what's the temperature in the kitchen?" - "and in the garage?" asks the same of the garage;
 * "turn on the hall light" - "the porch light too" turns on the porch light. Only a fragment that is nothing but
 * a room, a floor or a device (with "and", "also", "what about", "too", "as well") is read this way, and only
 * while the last request is fresh (dialogue.followUpMs).
 */
import type { IntentMatch, IntentSlots } from '../types/pipeline.js';
import type { Lexicon } from '../nlu/lexicon.js';
import { tokens } from '../nlu/normalize.js';

const LEAD = /^(and|also|plus|what about|how about|and what about|and also|same for|same in|now)\b/;
const TAIL = /\b(too|as well|also|please)$/;
const FILLER = new Set(['in', 'the', 'on', 'for', 'at', 'of', 'my', 'our', 'one']);

export function followUp(text: string, lexicon: Lexicon, last: IntentMatch | undefined): IntentMatch | undefined {
  if (!last) return undefined;
  const s = tokens(text).join(' ');
  if (!LEAD.test(s) && !TAIL.test(s)) return undefined;
  const rest = s.replace(LEAD, '').replace(TAIL, '').trim().split(' ').filter(Boolean);
  if (rest.length === 0) return undefined;
  const spans = lexicon.tag(rest);
  const covered = new Set<number>();
  for (const sp of spans) for (let i = sp.start; i < sp.end; i++) covered.add(i);
  if (rest.some((w, i) => !covered.has(i) && !FILLER.has(w))) return undefined; // more than a room or a device: a request of its own
  const name = spans.find((sp) => sp.tag.kind === 'name')?.tag;
  const area = spans.find((sp) => sp.tag.kind === 'area')?.tag;
  const floor = spans.find((sp) => sp.tag.kind === 'floor')?.tag;
  const { name: lastName, area: _a, floor: _f, reference: _r, here: _h, ...kept } = last.slots;
  let slots: IntentSlots;
  const lastDomain = lastName ? lexicon.devices.find((d) => d.name === lastName)?.domain : kept.domain;
  if (name?.kind === 'name') {
    // Only a device of the same kind: "turn off the light" - "and the front door" must not unlock it.
    if (name.domain !== lastDomain) return undefined;
    const { domain: _d, device_class: _c, all: _all, ...general } = kept;
    slots = { ...general, name: name.value };
  } else if (area?.kind === 'area' || floor?.kind === 'floor') {
    // The same kind of device there: "the kitchen light" - "and in the hall" means the hall's lights.
    const domain = lastName ? lastDomain : undefined;
    slots = { ...kept, ...(domain && !kept.domain ? { domain } : {}), ...(area?.kind === 'area' ? { area: area.value } : {}), ...(floor?.kind === 'floor' ? { floor: floor.value } : {}) };
  } else return undefined;
  return { ...last, slots, rule: `${last.rule}+follow-up` };
}
