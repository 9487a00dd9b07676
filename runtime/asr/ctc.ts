/**
 * CTC prefix beam search over letter posteriors, frame by frame as the encoder streams them.
 * With a word graph (jsgf.ts) the beam only holds prefixes the home grammar allows: a letter must
 * continue a word the grammar accepts at that point, a space must close one. Without it (open
 * mode) any letters go, for speech that is not in the grammar.
 */
import type { GraphState, TrieNode } from './jsgf.js';

/**
 * A prefix is a node of the tree of everything the search spelt: its parent plus one symbol, so two prefixes are the
 * same text exactly when they are the same node, and no string is built until a hypothesis is read out. (The first
 * version keyed a Map by the text and copied objects per step: the two 32-wide beams cost as much as the network.)
 */
class Prefix {
  private static ids = 0;
  readonly id = Prefix.ids++;
  /** log P(prefix, path ends in blank), log P(prefix, path ends in its last letter), and their sum. */
  pb = -Infinity;
  pnb = -Infinity;
  score = -Infinity;
  /** Scratch for the step being computed. */
  stamp = -1;
  npb = -Infinity;
  npnb = -Infinity;
  constructor(readonly parent: Prefix | undefined, readonly last: number, readonly space: boolean,
    /** Grammar position: the state after the finished words and the trie node of the word being spelt. */
    readonly state?: GraphState, readonly node?: TrieNode) {}

  text(alphabet: string): string {
    const out: string[] = [];
    for (let p: Prefix | undefined = this; p?.parent; p = p.parent) out.push(alphabet[p.last - 1]!);
    return out.reverse().join('');
  }
}

export interface Scored { readonly text: string; readonly logProb: number }

/** log P(blank) above which a frame extends no prefix (P > 0.9995). */
const BLANK_SURE = Math.log(0.9995);
const MAX_CANDIDATES = 8;

const lse = (a: number, b: number) => (a === -Infinity ? b : b === -Infinity ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b))));
const SYMBOLS = 64; // > the alphabet: a child's key is parent id * SYMBOLS + symbol

/** The `width` best prefixes, in no order: a native numeric sort of the scores finds the cut, no object is sorted. */
function keepBest(xs: Prefix[], width: number): Prefix[] {
  if (xs.length <= width) return xs;
  const scores = new Float64Array(xs.length);
  for (let i = 0; i < xs.length; i++) scores[i] = xs[i]!.score;
  scores.sort();
  const cut = scores[xs.length - width]!;
  const out: Prefix[] = [];
  for (const x of xs) if (x.score > cut) out.push(x);
  for (const x of xs) if (x.score === cut && out.length < width) out.push(x);
  return out;
}

export class CtcBeamSearch {
  private beam: Prefix[];
  private steps = 0;
  private readonly space: number;
  private readonly known = new Map<number, Prefix>();

  /** `alphabet[i]` is symbol i + 1; symbol 0 is the blank. */
  constructor(private readonly alphabet: string, private readonly width: number, start?: GraphState, private readonly prune = 10) {
    const root = new Prefix(undefined, -1, true, start, start?.trie);
    root.pb = 0;
    root.score = 0;
    this.beam = [root];
    this.space = alphabet.indexOf(' ') + 1;
  }

  private extend(p: Prefix, symbol: number): Prefix | undefined {
    const isSpace = symbol === this.space;
    if (isSpace && p.space) return undefined; // no leading or doubled space
    let { state, node } = p;
    if (state && node) {
      if (isSpace) {
        if (!node.word) return undefined;
        state = state.step(node.word);
        if (!state) return undefined;
        node = state.trie;
      } else {
        node = node.next.get(this.alphabet[symbol - 1]!);
        if (!node) return undefined;
      }
    }
    return new Prefix(p, symbol, isSpace, state, node);
  }

  /** One frame of log posteriors (symbol 0 = blank). */
  step(logp: Float32Array): void {
    let top = -Infinity;
    for (const v of logp) top = Math.max(top, v);
    // Letters within `prune` of the best symbol, at most MAX_CANDIDATES of them; on a frame that is almost
    // surely blank (most frames: CTC spikes), no letter is tried at all. Both keep the search cheap.
    const candidates: number[] = [];
    if (logp[0]! < BLANK_SURE) {
      for (let s = 1; s < logp.length; s++) if (logp[s]! > top - this.prune) candidates.push(s);
      if (candidates.length > MAX_CANDIDATES) candidates.sort((a, b) => logp[b]! - logp[a]!).length = MAX_CANDIDATES;
    }
    const stamp = ++this.steps;
    const next: Prefix[] = [];
    // Every prefix of the beam stays (ending in blank, or repeating its last letter).
    for (const p of this.beam) {
      p.stamp = stamp;
      p.npb = p.score + logp[0]!;
      p.npnb = p.last > 0 ? p.pnb + logp[p.last]! : -Infinity;
      next.push(p);
    }
    if (candidates.length > 0) {
      // The prefixes of the beam by (parent, last symbol): an extension that spells one of them is that same prefix.
      const known = this.known;
      known.clear();
      for (const p of this.beam) if (p.parent) known.set(p.parent.id * SYMBOLS + p.last, p);
      for (const p of this.beam) {
        for (const s of candidates) {
          const key = p.id * SYMBOLS + s;
          let q = known.get(key);
          if (!q) {
            q = this.extend(p, s);
            if (!q) continue;
            known.set(key, q);
          }
          if (q.stamp !== stamp) { q.stamp = stamp; q.npb = -Infinity; q.npnb = -Infinity; next.push(q); }
          // A repeated letter needs a blank between: only paths ending in blank may double it.
          q.npnb = lse(q.npnb, (s === p.last ? p.pb : p.score) + logp[s]!);
        }
      }
    }
    for (const q of next) { q.pb = q.npb; q.pnb = q.npnb; q.score = lse(q.pb, q.pnb); }
    this.beam = keepBest(next, this.width);
  }

  /** The best prefix so far (a partial hypothesis). */
  best(): string {
    let b: Prefix | undefined;
    for (const p of this.beam) if (!b || p.score > b.score) b = p;
    return b?.text(this.alphabet).trim() ?? '';
  }

  /** Complete hypotheses, best first: in grammar mode only those that end where the grammar may end. */
  finish(): Scored[] {
    const out = new Map<string, number>();
    for (const p of this.beam) {
      if (p.state && p.node) {
        const last = p.space ? p.state : p.node.word ? p.state.step(p.node.word) : undefined;
        if (!last?.final) continue;
      }
      const text = p.text(this.alphabet).trim(); // "the oven" and "the oven " are one sentence: their probabilities add
      if (text) out.set(text, lse(out.get(text) ?? -Infinity, p.score));
    }
    return [...out].map(([text, logProb]) => ({ text, logProb })).sort((a, b) => b.logProb - a.logProb);
  }
}
