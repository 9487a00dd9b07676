/**
 * The home grammar (grammar.ts writes it as JSGF for pocketsphinx) compiled to a word graph for the
 * CTC decoder, so both engines are held to one grammar. Handles the subset grammar.ts writes: rules,
 * words, <refs>, ( ) groups, [ ] options, | alternatives and + repetition. The graph is a
 * nondeterministic automaton over words, determinised lazily: the decoder only visits the states its
 * beam reaches.
 */
import { HearthError } from '../types/errors.js';

type Node =
  | { readonly k: 'word'; readonly w: string }
  | { readonly k: 'ref'; readonly name: string }
  | { readonly k: 'alt'; readonly alts: readonly Node[][]; readonly optional: boolean; readonly repeat: boolean };

function parseRules(jsgf: string): Map<string, Node> {
  const rules = new Map<string, Node>();
  const body = jsgf.replace(/^#JSGF[^\n]*\n/, '').replace(/grammar [^;]+;/, '');
  for (const m of body.matchAll(/(?:public\s+)?<([^>]+)>\s*=\s*([^;]*);/g)) rules.set(m[1]!, parseAlternatives(tokenize(m[2]!), m[1]!));
  return rules;
}

const tokenize = (s: string) => s.match(/<[^>]+>|[()[\]|+*]|[^\s()[\]|+*<>]+/g) ?? [];

function parseAlternatives(tokens: string[], rule: string): Node {
  let i = 0;
  const group = (close: string | undefined): Node[][] => {
    const alts: Node[][] = [[]];
    while (i < tokens.length) {
      const t = tokens[i++]!;
      if (t === close) return alts;
      if (t === '|') { alts.push([]); continue; }
      let node: Node;
      if (t === '(' || t === '[') node = { k: 'alt', alts: group(t === '(' ? ')' : ']'), optional: t === '[', repeat: false };
      else if (t.startsWith('<')) node = { k: 'ref', name: t.slice(1, -1) };
      else if (t === ')' || t === ']') throw new HearthError('asr-grammar', 'config', `grammar rule <${rule}>: unbalanced "${t}"`);
      else node = { k: 'word', w: t };
      if (tokens[i] === '+' || tokens[i] === '*') {
        node = { k: 'alt', alts: [[node]], optional: tokens[i] === '*', repeat: true };
        i++;
      }
      alts.at(-1)!.push(node);
    }
    if (close) throw new HearthError('asr-grammar', 'config', `grammar rule <${rule}>: "${close}" missing`);
    return alts;
  };
  return { k: 'alt', alts: group(undefined), optional: false, repeat: false };
}

/** An automaton over words: state 0 starts; `final` states end a sentence. */
export class WordGraph {
  private readonly eps: number[][] = [];
  private readonly edges: { w: string; to: number }[][] = [];
  private readonly finals = new Set<number>();
  private readonly dfa = new Map<string, GraphState>();

  constructor(jsgf: string, start = 'utterance') {
    const rules = parseRules(jsgf);
    if (!rules.has(start)) throw new HearthError('asr-grammar', 'config', `grammar has no <${start}> rule`);
    const s0 = this.state();
    this.finals.add(this.build({ k: 'ref', name: start }, s0, rules, 0));
  }

  private state(): number { this.eps.push([]); this.edges.push([]); return this.eps.length - 1; }

  private build(n: Node, from: number, rules: Map<string, Node>, depth: number): number {
    if (depth > 50) throw new HearthError('asr-grammar', 'config', 'grammar rules refer to each other in a loop');
    if (n.k === 'word') { const to = this.state(); this.edges[from]!.push({ w: n.w, to }); return to; }
    if (n.k === 'ref') {
      const r = rules.get(n.name);
      if (!r) throw new HearthError('asr-grammar', 'config', `grammar refers to <${n.name}>, which it does not define`);
      return this.build(r, from, rules, depth + 1);
    }
    const entry = this.state(), exit = this.state();
    this.eps[from]!.push(entry);
    for (const seq of n.alts) {
      let cur = entry;
      for (const item of seq) cur = this.build(item, cur, rules, depth + 1);
      this.eps[cur]!.push(exit);
    }
    if (n.optional) this.eps[entry]!.push(exit);
    if (n.repeat) this.eps[exit]!.push(entry);
    return exit;
  }

  private closure(states: Iterable<number>): number[] {
    const seen = new Set<number>(states);
    const stack = [...seen];
    while (stack.length) for (const t of this.eps[stack.pop()!]!) if (!seen.has(t)) { seen.add(t); stack.push(t); }
    return [...seen].sort((a, b) => a - b);
  }

  /** The deterministic state for a set of automaton states, built once. */
  private get(states: readonly number[]): GraphState {
    const key = states.join(',');
    let s = this.dfa.get(key);
    if (!s) {
      const next = new Map<string, number[]>();
      for (const q of states) for (const e of this.edges[q]!) (next.get(e.w) ?? next.set(e.w, []).get(e.w)!).push(e.to);
      s = new GraphState(this, states.some((q) => this.finals.has(q)), next);
      this.dfa.set(key, s);
    }
    return s;
  }

  start(): GraphState { return this.get(this.closure([0])); }
  /** @internal */
  advance(targets: readonly number[]): GraphState { return this.get(this.closure(targets)); }
}

/**
 * A word of the grammar that stands for any word (open slots: "add <any> to my shopping list"). Only an open-vocabulary
 * engine can hear it (Moonshine); a grammar for pocketsphinx never holds it.
 */
export const ANY_WORD = '__any__';

/** Letters trie of the words a state accepts next. */
export interface TrieNode { readonly next: Map<string, TrieNode>; word?: string }

export class GraphState {
  private cachedTrie?: TrieNode;
  private readonly after = new Map<string, GraphState>();
  constructor(private readonly graph: WordGraph, readonly final: boolean, private readonly targets: ReadonlyMap<string, readonly number[]>) {}

  /** Whether any word may come next (an open slot: a list item, a name to be taught). */
  get open(): boolean { return this.targets.has(ANY_WORD); }

  /** The words that may come next (ANY_WORD for an open slot). */
  get nextWords(): readonly string[] { return [...this.targets.keys()]; }

  /** The state after `word`, or undefined when the grammar does not allow it here. */
  step(word: string): GraphState | undefined {
    let s = this.after.get(word);
    if (!s) {
      const exact = this.targets.get(word), any = word === ANY_WORD ? undefined : this.targets.get(ANY_WORD);
      const t = exact && any ? [...exact, ...any] : exact ?? any;
      if (!t) return undefined;
      s = this.graph.advance(t);
      this.after.set(word, s);
    }
    return s;
  }

  get trie(): TrieNode {
    if (!this.cachedTrie) {
      const root: TrieNode = { next: new Map() };
      for (const w of this.targets.keys()) {
        let n = root;
        for (const ch of w) n = n.next.get(ch) ?? n.next.set(ch, { next: new Map() }).get(ch)!;
        n.word = w;
      }
      this.cachedTrie = root;
    }
    return this.cachedTrie;
  }
}
