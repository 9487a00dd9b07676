/**
 * CTC prefix beam search over letter posteriors, frame by frame as the encoder streams them.
 * With a word graph (jsgf.ts) the beam only holds prefixes the home grammar allows: a letter must
 * continue a word the grammar accepts at that point, a space must close one. Without it (open
 * mode) any letters go, for speech that is not in the grammar.
 */
import type { GraphState, TrieNode } from './jsgf.js';

interface Prefix {
  readonly text: string;
  /** log P(prefix, path ends in blank), log P(prefix, path ends in its last letter) */
  pb: number;
  pnb: number;
  readonly last: number;
  /** Grammar position: the state after the finished words and the trie node of the word being spelt. */
  readonly state?: GraphState;
  readonly node?: TrieNode;
}

export interface Scored { readonly text: string; readonly logProb: number }

/** log P(blank) above which a frame extends no prefix (P > 0.9995). */
const BLANK_SURE = Math.log(0.9995);
const MAX_CANDIDATES = 8;

const lse = (a: number, b: number) => (a === -Infinity ? b : b === -Infinity ? a : Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b))));
const total = (p: Prefix) => lse(p.pb, p.pnb);

export class CtcBeamSearch {
  private beam: Prefix[];

  /** `alphabet[i]` is symbol i + 1; symbol 0 is the blank. */
  constructor(private readonly alphabet: string, private readonly width: number, start?: GraphState, private readonly prune = 10) {
    this.beam = [{ text: '', pb: 0, pnb: -Infinity, last: -1, state: start, node: start?.trie }];
  }

  private extend(p: Prefix, symbol: number): Prefix | undefined {
    const ch = this.alphabet[symbol - 1]!;
    if (ch === ' ' && (p.text === '' || p.text.endsWith(' '))) return undefined;
    let { state, node } = p;
    if (state && node) {
      if (ch === ' ') {
        if (!node.word) return undefined;
        state = state.step(node.word);
        if (!state) return undefined;
        node = state.trie;
      } else {
        node = node.next.get(ch);
        if (!node) return undefined;
      }
    }
    return { text: p.text + ch, pb: -Infinity, pnb: -Infinity, last: symbol, state, node };
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
    const next = new Map<string, Prefix>();
    const into = (p: Prefix): Prefix => {
      let q = next.get(p.text);
      if (!q) { q = { ...p, pb: -Infinity, pnb: -Infinity }; next.set(p.text, q); }
      return q;
    };
    for (const p of this.beam) {
      const same = into(p);
      same.pb = lse(same.pb, total(p) + logp[0]!);
      if (p.last > 0) same.pnb = lse(same.pnb, p.pnb + logp[p.last]!);
      for (const s of candidates) {
        const e = this.extend(p, s);
        if (!e) continue;
        const q = into(e);
        // A repeated letter needs a blank between: only paths ending in blank may double it.
        q.pnb = lse(q.pnb, (s === p.last ? p.pb : total(p)) + logp[s]!);
      }
    }
    this.beam = [...next.values()].sort((a, b) => total(b) - total(a)).slice(0, this.width);
  }

  /** The best prefix so far (a partial hypothesis). */
  best(): string { return this.beam[0]?.text.trim() ?? ''; }

  /** Complete hypotheses, best first: in grammar mode only those that end where the grammar may end. */
  finish(): Scored[] {
    const out = new Map<string, number>();
    for (const p of this.beam) {
      if (p.state && p.node) {
        const last = p.text.endsWith(' ') || p.text === '' ? p.state : p.node.word ? p.state.step(p.node.word) : undefined;
        if (!last?.final) continue;
      }
      const text = p.text.trim(); // "the oven" and "the oven " are one sentence: their probabilities add
      if (text) out.set(text, lse(out.get(text) ?? -Infinity, total(p)));
    }
    return [...out].map(([text, logProb]) => ({ text, logProb })).sort((a, b) => b.logProb - a.logProb);
  }
}
