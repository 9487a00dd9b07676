/**
 * Hearth's own sentences (runtime/nlu/sentences/en.yaml) as the NLU's first reader: a sentence one of them says is read
 * by it; the rules (nlu/rules) read the free phrasing behind. The templates match the parsed sentence's skeleton
 * (parse.ts), in which the lexicon has already tagged names, areas and kinds, so {name} is one token however many
 * devices the home has, the lexicon's ties ("Bedroom Curtain" against "the bedroom curtains") are decided once for both
 * readers, and the regular expressions are made once, not per home. A tagged word still matches the same word written
 * in a template ("lock" is a kind word and the verb of "lock <thing>").
 */
import type { IntentMatch, IntentSlots } from '../../types/pipeline.js';
import type { Span, Tag } from '../lexicon.js';
import { normalize } from '../normalize.js';
import { dropFillers, type Parsed } from '../parse.js';
import { fitsContext, type CustomSentence, type CustomSet, type DeviceContext } from './custom.js';
import { esc, templateRegex, valuesGroup } from './match.js';
import { timerSlots } from '../durations.js';

const PLACEHOLDER: Readonly<Record<string, Tag['kind']>> = { name: 'name', area: 'area', floor: 'floor', kind: 'kind', measure: 'measure' };
/** Value lists whose out value is a flag ("all the", "in the house"). */
const FLAGS = new Set(['all', 'everywhere']);
/** Slots a template may fill; a list used only to say a sentence (the {number} of an amount) fills none. */
const SLOTS = new Set(['name', 'area', 'floor', 'domain', 'device_class', 'state', 'brightness', 'brightness_step', 'position', 'temperature',
  'volume_level', 'volume_step', 'percentage', 'message', 'place', 'item', 'all', 'everywhere', 'singular']);

interface Compiled { readonly s: CustomSentence; readonly re: RegExp; readonly groups: readonly { readonly group: string; readonly slot: string; readonly list: string }[] }

/**
 * The sentence as the templates read it: each tagged span `«kind:index:words»` (its index in p.spans), each number
 * `«num:index:digits»` (its index in p.numbers), other words as they are; fillers dropped as in the skeleton.
 */
function marked(p: Parsed): string {
  const out: string[] = [];
  let i = 0, n = 0;
  const word = (t: string) => (/^\d+(\.\d+)?$/.test(t) ? `«num:${n++}:${t}»` : t);
  p.spans.forEach((s, k) => {
    for (; i < s.start; i++) out.push(word(p.tokens[i]!));
    out.push(`«${s.tag.kind}:${k}:${s.text}»`);
    i = s.end;
  });
  for (; i < p.tokens.length; i++) out.push(word(p.tokens[i]!));
  return `${dropFillers(out.join(' '))} `;
}

function compile(s: CustomSentence, set: CustomSet): Compiled {
  // A word of the template matches itself, or a span the lexicon tagged that is just that word.
  const words = (text: string) => normalize(text).split(' ').filter(Boolean).map((w) => `(?:${esc(w)}|«[a-z]+:\\d+:${esc(w)}») `).join('');
  const { source, groups } = templateRegex(s.tree, set.rules, {
    words,
    list: (name, group) => {
      const tag = PLACEHOLDER[name];
      const l = set.lists[name];
      if (tag) return `(?<${group}>«${tag}:\\d+:[^»]+» )`;
      if (l?.range) return `(?<${group}>«num:\\d+:[^»]+» )`;
      if (l?.wildcard) return `(?<${group}>(?:\\S+ )+?)`;
      return valuesGroup(l?.values ?? [], group, words);
    },
  });
  return { s, re: new RegExp(source), groups };
}

/** Whether a tagged span is one of the things a sentence's requires_context takes. */
function fits(c: DeviceContext | undefined, tag: Tag): boolean {
  if (!c) return true;
  if (tag.kind === 'name' || tag.kind === 'kind') return fitsContext(c, tag.domain, tag.deviceClass);
  if (tag.kind === 'measure') return c.deviceClasses?.includes(tag.deviceClass) ?? (c.domains?.includes('climate') === true && tag.deviceClass === 'temperature');
  return true;
}

const unmark = (raw: string) => raw.replace(/«[a-z]+:\d+:([^»]+)»/g, '$1').trim();

export class OwnSentences {
  private readonly compiled: readonly Compiled[];
  constructor(private readonly set: CustomSet) {
    this.compiled = set.sentences.map((s) => compile(s, set));
  }

  /** The reading of the first sentence of en.yaml that says `p`, or undefined. */
  read(p: Parsed): IntentMatch | undefined {
    const text = marked(p);
    for (const c of this.compiled) {
      const m = c.re.exec(text);
      if (!m) continue;
      const slots = this.slots(c, m, p.spans);
      if (!slots) continue;
      return { intent: c.s.intent as IntentMatch['intent'], slots: { ...slots, ...timerSlots(c.s.intent, p.tokens.join(' ')) }, score: 1, rule: `template ${c.s.where.replace(/^.*\/runtime\//, 'runtime/')}` };
    }
    return undefined;
  }

  private slots(c: Compiled, m: RegExpExecArray, spans: readonly Span[]): IntentSlots | undefined {
    const slots: Record<string, unknown> = { ...c.s.slots };
    let nameClass: string | undefined;
    for (const g of c.groups) {
      const raw = m.groups?.[g.group];
      if (raw === undefined) continue;
      if (PLACEHOLDER[g.list]) {
        const tag = spans[Number(/^«[a-z]+:(\d+):/.exec(raw)![1])]!.tag;
        if (!tag || !fits(c.s.devices, tag)) return undefined;
        if (tag.kind === 'area' || tag.kind === 'floor') slots[g.slot] = tag.value;
        // A name in a sentence of some domains says which of them it is, as HA's per-domain sentences do.
        else if (tag.kind === 'name') {
          Object.assign(slots, { [g.slot]: tag.value, ...(c.s.devices ? { domain: tag.domain } : {}) });
          nameClass = tag.deviceClass;
        }
        else if (tag.kind === 'measure') slots[g.slot] = tag.deviceClass;
        else if (tag.kind === 'kind') Object.assign(slots, { domain: tag.domain, ...(tag.deviceClass ? { device_class: tag.deviceClass } : {}), ...(tag.plural ? {} : { singular: true }) });
        continue;
      }
      const l = this.set.lists[g.list];
      const said = unmark(raw);
      if (l?.range) {
        const v = Number(said);
        if (!(v >= l.range.from && v <= l.range.to)) return undefined;
        slots[g.slot] = v;
      } else if (l?.wildcard) slots[g.slot] = said;
      else {
        const out = l?.values?.find((v) => normalize(v.in) === said)?.out ?? said;
        slots[g.slot] = FLAGS.has(g.slot) ? true : out;
      }
    }
    for (const k of Object.keys(slots)) if (!SLOTS.has(k)) delete slots[k];
    // "the humidity of the kitchen thermometer": a measure the named sensor does not take is not this sentence.
    if (nameClass && slots['device_class'] && slots['device_class'] !== nameClass) return undefined;
    // "in the house" names the whole home only when no room is named.
    if (slots['area'] || slots['floor']) delete slots['everywhere'];
    return slots as IntentSlots;
  }
}
