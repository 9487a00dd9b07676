/**
 * A template tree as a JSGF expression for the ASR grammar (asr/grammar.ts): the sentences people add are then
 * sentences the recogniser can hear. Lists of the home (name, area, floor) and of the file become alternatives, a range
 * becomes the grammar's <number>, a wildcard its open slot <any> (one to three words of whatever an open-vocabulary
 * engine heard; asr/grammar.ts leaves such sentences out for an engine without open slots).
 */
import type { SlotList } from './match.js';
import type { TemplateNode } from './parse.js';

class Unspeakable extends Error {}

/** A list the grammar already holds as a rule of its own (the home's names, areas): referenced, not spelled out again. */
export interface JsgfRuleList { readonly jsgfRule: string }
export type JsgfList = SlotList | JsgfRuleList;

const words = (text: string): string => {
  const w = text.toLowerCase().replace(/[^a-z' ]+/g, (m) => (/\d/.test(m) ? '\u0000' : ' ')).replace(/\s+/g, ' ').trim();
  if (w.includes('\u0000')) throw new Unspeakable(); // digits: the grammar takes spoken words
  return w;
};

const alt = (xs: readonly string[]) => [...new Set(xs.map((x) => x.trim()))].filter(Boolean).join(' | ');

/**
 * The tree as JSGF, or undefined when it cannot be said (a list with no values, digits). An alternative that cannot be
 * said is left out of its group ("({name} | {kind})" in a home with no names of that kind is "({kind})").
 */
export function templateJsgf(tree: TemplateNode, lists: Readonly<Record<string, JsgfList>>, rules: Readonly<Record<string, TemplateNode>>): string | undefined {
  const go = (n: TemplateNode, depth: number): string => {
    if (depth > 20) throw new Unspeakable();
    switch (n.k) {
      case 'text': return words(n.text);
      case 'seq': return n.items.map((x) => go(x, depth)).filter(Boolean).join(' ');
      case 'alt': {
        const options = n.options.flatMap((x) => { try { return [go(x, depth)]; } catch (err) { if (err instanceof Unspeakable) return []; throw err; } });
        if (options.length === 0 && !n.optional) throw new Unspeakable();
        const some = alt(options);
        if (!some) return '';
        return n.optional || options.some((o) => !o.trim()) ? `[${some}]` : `(${some})`;
      }
      case 'perm': {
        const parts = n.items.map((x) => go(x, depth));
        const orders = parts.length <= 1 ? [parts] : parts.map((p, i) => [p, ...parts.filter((_, j) => j !== i)]);
        return `(${alt(orders.map((o) => o.join(' ')))})`;
      }
      case 'rule': { const r = rules[n.name]; if (!r) throw new Unspeakable(); return `(${go(r, depth + 1)})`; }
      case 'list': {
        const l = lists[n.list];
        if (!l) throw new Unspeakable();
        if ('jsgfRule' in l) return `<${l.jsgfRule}>`;
        if (l.wildcard) return '<any>';
        if (l.range) return '<number> [<number>]';
        const vs = alt((l.values ?? []).map((v) => { try { return words(v.in); } catch { return ''; } }));
        if (!vs) throw new Unspeakable();
        return `(${vs})`;
      }
    }
  };
  try {
    const out = go(tree, 0).trim();
    return out || undefined;
  } catch (err) {
    if (err instanceof Unspeakable) return undefined;
    throw err;
  }
}
