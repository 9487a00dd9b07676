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

export const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Permutations are spelled out: more than this many parts would be thousands of orders. */
const MAX_PERMUTED = 5;

function permutations<T>(xs: readonly T[]): T[][] {
  if (xs.length <= 1) return [xs.slice()];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

/** How one reader spells a template's words and its lists as regular expressions (`group`: the list's capture name). */
export interface RegexParts {
  words(text: string): string;
  list(list: string, group: string): string;
}

/**
 * A template tree as the source of one regular expression, with a named group per list it uses: the walk both readers
 * share (the household's sentences over plain words here, Hearth's own over the lexicon's tags in own.ts).
 */
export function templateRegex(tree: TemplateNode, rules: Readonly<Record<string, TemplateNode>>, parts: RegexParts): { source: string; groups: { group: string; slot: string; list: string }[] } {
  const groups: { group: string; slot: string; list: string }[] = [];
  const go = (n: TemplateNode, depth: number): string => {
    if (depth > 20) throw new Error('expansion rules nest more than 20 deep (a rule that names itself?)');
    switch (n.k) {
      case 'text': return parts.words(n.text);
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
        const group = `g${groups.length}`;
        groups.push({ group, slot: n.slot, list: n.list });
        return parts.list(n.list, group);
      }
    }
  };
  return { source: `^${go(tree, 0)}$`, groups };
}

/** A value list's alternatives, longest first, as a named group (or a pattern that never matches when it is empty). */
export function valuesGroup(values: readonly { readonly in: string }[], group: string, words: (text: string) => string): string {
  const alts = [...new Set(values.map((v) => words(v.in)).filter(Boolean))].sort((a, b) => b.length - a.length);
  return alts.length ? `(?<${group}>${alts.join('|')})` : '(?!)';
}

export function compileSentence(tree: TemplateNode, lists: Readonly<Record<string, SlotList>>, rules: Readonly<Record<string, TemplateNode>>): CompiledSentence {
  const words = (text: string) => normalize(text).split(' ').filter(Boolean).map((w) => `${esc(w)} `).join('');
  const { source, groups } = templateRegex(tree, rules, {
    words,
    list: (name, group) => {
      const l = lists[name];
      if (!l) throw new Error(`no list {${name}}`);
      if (l.wildcard) return `(?<${group}>(?:\\S+ )+?)`;
      if (l.range) return `(?<${group}>-?\\d+(?:\\.\\d+)? )`;
      return valuesGroup(l.values ?? [], group, words);
    },
  });
  return { re: new RegExp(source), groups };
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
