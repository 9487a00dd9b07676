/**
 * Template trees -> one regular expression per sentence over normalised text (the NLU's own normalize(): lower case,
 * number words as digits, no punctuation), each word followed by one space. Lists become named groups: values
 * (with their `in` -> `out`), ranges (a number, checked against from..to), wildcards (any words). The hub's own
 * lists `name`, `area` and `floor` come from the live registry.
 */
import { normalize } from '../normalize.js';
import type { TemplateNode } from './parse.js';

export interface SlotList {
  readonly values?: readonly { readonly in: string; readonly out: string }[];
  readonly range?: { readonly from: number; readonly to: number };
  readonly wildcard?: boolean;
}

export interface CompiledSentence {
  readonly re: RegExp;
  readonly groups: readonly { readonly group: string; readonly slot: string; readonly list: string }[];
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Permutations are spelled out: more than this many parts would be thousands of orders. */
const MAX_PERMUTED = 5;

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

export function compileSentence(tree: TemplateNode, lists: Readonly<Record<string, SlotList>>, rules: Readonly<Record<string, TemplateNode>>): CompiledSentence {
  const groups: { group: string; slot: string; list: string }[] = [];
  const words = (text: string) => normalize(text).split(' ').filter(Boolean).map((w) => `${esc(w)} `).join('');
  const go = (n: TemplateNode, depth: number): string => {
    if (depth > 20) throw new Error('expansion rules nest more than 20 deep (a rule that names itself?)');
    switch (n.k) {
      case 'text': return words(n.text);
      case 'seq': return n.items.map((x) => go(x, depth)).join('');
      case 'alt': return `(?:${n.options.map((x) => go(x, depth)).join('|')})${n.optional ? '?' : ''}`;
      case 'perm':
        if (n.items.length > MAX_PERMUTED) throw new Error(`a permutation (a; b; ...) of more than ${MAX_PERMUTED} parts`);
        return `(?:${permutations(n.items).map((p) => p.map((x) => go(x, depth)).join('')).join('|')})`;
      case 'rule': {
        const r = rules[n.name];
        if (!r) throw new Error(`no expansion rule <${n.name}>`);
        return `(?:${go(r, depth + 1)})`;
      }
      case 'list': {
        const l = lists[n.list];
        if (!l) throw new Error(`no list {${n.list}}`);
        const group = `g${groups.length}`;
        groups.push({ group, slot: n.slot, list: n.list });
        if (l.wildcard) return `(?<${group}>(?:\\S+ )+?)`;
        if (l.range) return `(?<${group}>-?\\d+(?:\\.\\d+)? )`;
        const alts = [...new Set((l.values ?? []).map((v) => words(v.in)).filter(Boolean))].sort((a, b) => b.length - a.length);
        return alts.length ? `(?<${group}>${alts.join('|')})` : '(?!)';
      }
    }
  };
  return { re: new RegExp(`^${go(tree, 0)}$`), groups };
}

/** The slots of a sentence that matches `text` (normalised, skip words removed), or undefined. */
export function matchSentence(c: CompiledSentence, normalised: string, lists: Readonly<Record<string, SlotList>>): Record<string, string | number> | undefined {
  const m = c.re.exec(`${normalised} `);
  if (!m) return undefined;
  const slots: Record<string, string | number> = {};
  for (const g of c.groups) {
    const raw = m.groups?.[g.group]?.trim();
    if (raw === undefined) continue;
    const l = lists[g.list]!;
    if (l.range) {
      const v = Number(raw);
      if (!(v >= l.range.from && v <= l.range.to)) return undefined;
      slots[g.slot] = v;
    } else if (l.wildcard) {
      slots[g.slot] = raw;
    } else {
      const hit = l.values!.find((v) => normalize(v.in) === raw);
      slots[g.slot] = hit ? hit.out : raw;
    }
  }
  return slots;
}
