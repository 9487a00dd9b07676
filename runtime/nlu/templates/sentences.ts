/**
 * The household's sentences at run time: matched before Hearth's own rules (a user's sentence wins, as in Home
 * Assistant), compiled against the live home's lists (rebuilt when the devices or the files change), and offered to
 * the ASR grammar as JSGF. A Home Assistant intent runs like any request; another intent name answers with its
 * custom response (HearthCustom).
 */
import type { IntentMatch, IntentSlots } from '../../types/pipeline.js';
import { HASS_INTENTS } from '../../types/intents.js';
import type { Lexicon } from '../lexicon.js';
import { normalize } from '../normalize.js';
import { fitsContext, type CustomSentence, type CustomSet } from './custom.js';
import { compileSentence, matchSentence, type CompiledSentence, type SlotList } from './match.js';
import { templateJsgf } from './jsgf.js';

const EMPTY: CustomSet = { sentences: [], lists: {}, rules: {}, skipWords: [], responses: {} };
/** Slots Hearth's intents read (the rest of a custom sentence's slots stay with HearthCustom). */
const TYPED_SLOTS = new Set(['name', 'area', 'floor', 'domain', 'device_class', 'state', 'brightness', 'color', 'temperature', 'position', 'volume_level', 'hours', 'minutes', 'seconds', 'item']);

/** `{{ slots.x }}` (and `{{ slots.x | lower }}`) filled in; what Home Assistant's response templates mostly use. */
export function fillResponse(template: string, slots: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{\{\s*slots\.([A-Za-z0-9_]+)\s*(\|\s*lower\s*)?\}\}/g, (_m, k: string, lower?: string) => {
    const v = String(slots[k] ?? '');
    return lower ? v.toLowerCase() : v;
  }).trim();
}

export class CustomSentences {
  /** Changes whenever the loaded files do (the ASR grammar is rebuilt on it). */
  revision = 0;
  private set: CustomSet = EMPTY;
  private compiled: { lexicon: Lexicon; items: { s: CustomSentence; l: Record<string, SlotList>; c: CompiledSentence }[]; skip: ReadonlySet<string> } | undefined;

  replace(set: CustomSet): void {
    this.set = set;
    this.compiled = undefined;
    this.revision++;
  }

  get size(): number {
    return this.set.sentences.length;
  }

  private lists(lexicon: Lexicon): Record<string, SlotList> {
    return {
      ...this.set.lists,
      name: { values: lexicon.devices.flatMap((d) => [d.name, ...d.aliases].map((a) => ({ in: a, out: d.name }))) },
      area: { values: lexicon.areas.map((a) => ({ in: a, out: a })) },
      floor: { values: lexicon.floors.map((f) => ({ in: f, out: f })) },
    };
  }

  /** A sentence's lists: its {name} only the devices its requires_context (domain, device_class) takes. */
  private listsOf(s: CustomSentence, lists: Record<string, SlotList>, lexicon: Lexicon): Record<string, SlotList> {
    if (!s.devices) return lists;
    const c = s.devices;
    return { ...lists, name: { values: lexicon.devices.filter((d) => fitsContext(c, d.domain, d.deviceClass)).flatMap((d) => [d.name, ...d.aliases].map((a) => ({ in: a, out: d.name }))) } };
  }

  private compile(lexicon: Lexicon) {
    if (this.compiled?.lexicon !== lexicon) {
      const lists = this.lists(lexicon);
      this.compiled = { lexicon, skip: new Set(this.set.skipWords.map((w) => normalize(w))),
        items: this.set.sentences.map((s) => { const l = this.listsOf(s, lists, lexicon); return { s, l, c: compileSentence(s.tree, l, this.set.rules) }; }) };
    }
    return this.compiled;
  }

  /** The household's reading of `text`, or undefined when none of its sentences says it. */
  match(text: string, lexicon: Lexicon, area: string | undefined): IntentMatch | undefined {
    if (this.set.sentences.length === 0) return undefined;
    const { items, skip } = this.compile(lexicon);
    const said = normalize(text).split(' ').filter((w) => w && !skip.has(w)).join(' ');
    for (const { s, l, c } of items) {
      if (s.needsArea && !area) continue;
      const found = matchSentence(c, said, l);
      if (!found) continue;
      const slots = { ...s.slots, ...found, ...(s.areaSlot && area && found['area'] === undefined ? { area } : {}) };
      if ((HASS_INTENTS as readonly string[]).includes(s.intent)) {
        const typed = Object.fromEntries(Object.entries(slots).filter(([k]) => TYPED_SLOTS.has(k))) as IntentSlots;
        return { intent: s.intent as IntentMatch['intent'], slots: typed, score: 1, rule: `custom ${s.where}` };
      }
      const template = this.set.responses[s.intent]?.[s.response];
      const response = template ? fillResponse(template, slots) : 'Done.';
      return { intent: 'HearthCustom', slots: { custom_intent: s.intent, custom_slots: slots, custom_response: response }, score: 1, rule: `custom ${s.where}` };
    }
    return undefined;
  }

  /** The sentences as JSGF alternatives for the ASR grammar (a wildcard as the open slot <any>). */
  jsgf(lexicon: Lexicon): string[] {
    const lists = this.lists(lexicon);
    return this.set.sentences.map((s) => templateJsgf(s.tree, this.listsOf(s, lists, lexicon), this.set.rules)).filter((x): x is string => x !== undefined);
  }
}
