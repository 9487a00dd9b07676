/**
 * Two searches over one utterance's decoder steps: the open one (greedy, whatever Moonshine writes) and one held to the
 * home's grammar (a beam over the pieces that spell a sentence of the grammar's word graph, case and punctuation
 * aside; digits are read as the number words they stand for). The grammar path's log-probability against the open
 * path's is the confidence: speech the grammar has to bend scores far under what the model would rather have written.
 */
import type { GraphState, TrieNode } from '../jsgf.js';
import { numberWords } from '../grammar.js';
import { EOS, type Utterance } from './model.js';

export interface Path { readonly tokens: readonly number[]; readonly logProb: number; readonly text: string }

const BYTE = /^<0x([0-9A-F]{2})>$/;

/** The pieces as text ("▁" is a space; byte pieces become their bytes). */
export function piecesText(pieces: readonly string[], tokens: readonly number[]): string {
  const bytes: number[] = [];
  for (const t of tokens) {
    const p = pieces[t] ?? '';
    const b = BYTE.exec(p);
    if (b) bytes.push(parseInt(b[1]!, 16));
    else if (t > 2) bytes.push(...Buffer.from(p.replace(/▁/g, ' '), 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8').trim();
}

/** Open text as the hub reads it: lower case, "%" as percent, no punctuation. */
export function plainText(text: string): string {
  return text.toLowerCase().replace(/%/g, ' percent').replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Greedy decoding, at most `maxTokens`; the first token may not end the text (the model ends early on a beep). */
export async function openPath(u: Utterance, pieces: readonly string[], maxTokens: number): Promise<Path> {
  const tokens: number[] = [];
  let logProb = 0;
  for (let i = 0; i < maxTokens; i++) {
    const { logProbs } = await u.next(tokens);
    let best = -1;
    for (let v = 0; v < pieces.length; v++) if ((i > 0 || v !== EOS) && v !== 0 && v !== 1 && (best < 0 || logProbs[v]! > logProbs[best]!)) best = v;
    logProb += logProbs[best]!;
    if (best === EOS) break;
    tokens.push(best);
  }
  return { tokens, logProb, text: piecesText(pieces, tokens) };
}

/** Where a grammar hypothesis is: the graph state before the word being spelled, and that word so far. */
interface Spot {
  readonly graph: GraphState; readonly node: TrieNode | undefined; readonly digits: string; readonly words: readonly string[];
  /** Letters of the word being spelled. */
  readonly letters: string;
}

const spotKey = (s: Spot) => `${s.words.join(' ')}|${s.letters}|${s.digits}`;

function endWord(s: Spot): Spot | undefined {
  let { graph } = s;
  const words = [...s.words];
  const said = s.digits ? numberWords(Number(s.digits)).split(' ') : s.letters ? [s.letters] : [];
  for (const w of said) {
    const next = graph.step(w);
    if (!next) return undefined;
    graph = next;
    words.push(w);
  }
  return { graph, node: undefined, digits: '', words, letters: '' };
}

/** The spot after a piece's characters, or undefined when no sentence of the grammar is spelled that way. */
export function advance(s: Spot, piece: string): Spot | undefined {
  let cur: Spot | undefined = s;
  for (const ch of piece.replace(/▁/g, ' ').toLowerCase()) {
    if (!cur) return undefined;
    if (/[a-z']/.test(ch)) {
      if (cur.digits) return undefined;
      // Letters on the trie of the words that may come next, or, where any word may, off it.
      const from: TrieNode | undefined = cur.letters ? cur.node : cur.graph.trie;
      const node: TrieNode | undefined = from?.next.get(ch);
      if (!node && !cur.graph.open) return undefined;
      cur = { ...cur, node, letters: cur.letters + ch };
    } else if (/[0-9]/.test(ch)) {
      if (cur.letters) return undefined;
      // Numbers the grammar says in words (up to 999), and only where it takes one next.
      const digits: string = cur.digits + ch;
      if (digits.length > 3 || !cur.graph.step(numberWords(Number(digits)).split(' ')[0]!)) return undefined;
      cur = { ...cur, digits };
    } else if (ch === '%') {
      cur = endWord(cur);
      const g = cur?.graph.step('percent');
      cur = cur && g ? { ...cur, graph: g, words: [...cur.words, 'percent'] } : undefined;
    } else if (/[ .,?!;:\-]/.test(ch)) {
      if (cur.letters || cur.digits) cur = endWord(cur);
    } else return undefined;
  }
  return cur;
}

interface Live { readonly tokens: number[]; readonly logProb: number; readonly spot: Spot }

/** Best first: up to `width` sentences of the grammar and their log-probabilities. */
export async function grammarPaths(u: Utterance, pieces: readonly string[], start: GraphState, width: number, maxTokens: number): Promise<Path[]> {
  let live: Live[] = [{ tokens: [], logProb: 0, spot: { graph: start, node: undefined, digits: '', words: [], letters: '' } }];
  const done: Path[] = [];
  let parents: (readonly number[])[] = [];
  for (let step = 0; step < maxTokens && live.length > 0; step++) {
    const next: Live[] = [];
    const dists = await Promise.all(live.map((h) => u.next(h.tokens)));
    // The steps before these are done with (their children have run): the beam holds two levels, not every step.
    for (const p of parents) u.release(p);
    parents = live.map((h) => h.tokens);
    live.forEach((h, i) => {
      const lp = dists[i]!.logProbs;
      // Pieces in order of likelihood, only as far as needed: the first `width` that fit the grammar.
      const order = [...topIndices(lp, pieces.length, 48), ...(step === 0 ? [] : [EOS])];
      let found = 0;
      const tryToken = (v: number) => {
        if (v === EOS) {
          if (step === 0) return;
          const end = h.spot.letters || h.spot.digits ? endWord(h.spot) : h.spot;
          if (end?.graph.final) done.push({ tokens: h.tokens, logProb: h.logProb + lp[v]!, text: end.words.join(' ') });
          return;
        }
        if (v <= 2 || BYTE.test(pieces[v]!)) return;
        const spot = advance(h.spot, pieces[v]!);
        if (!spot) return;
        next.push({ tokens: [...h.tokens, v], logProb: h.logProb + lp[v]!, spot });
        found++;
      };
      for (const v of order) tryToken(v);
      if (found === 0) for (const v of topIndices(lp, pieces.length, pieces.length)) { if (found >= width) break; tryToken(v); }
    });
    next.sort((a, b) => b.logProb - a.logProb);
    // One hypothesis per place in the grammar: two spellings of the same words ("▁bright"+"ness", "▁brightness") would
    // otherwise fill the beam with one sentence.
    const seen = new Set<string>();
    const distinct = next.filter((h) => { const k = spotKey(h.spot); if (seen.has(k)) return false; seen.add(k); return true; });
    next.length = 0;
    next.push(...distinct);
    done.sort((a, b) => b.logProb - a.logProb);
    // Log-probabilities only fall: a live hypothesis under the width-th finished one cannot overtake it.
    const bar = done.length >= width ? done[width - 1]!.logProb : -Infinity;
    live = next.filter((h) => h.logProb > bar).slice(0, width);
  }
  return done.slice(0, width);
}

/** The `k` most likely token ids, best first (of the first `n`: the model's extra ids have no piece). */
function topIndices(lp: Float32Array, n: number, k: number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i).sort((a, b) => lp[b]! - lp[a]!);
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (lp[i]! > max) max = lp[i]!;
  // Candidates within a wide margin of the best, then the k best of them (most steps have a handful).
  let margin = 8, idx: number[] = [];
  for (; margin <= 64; margin *= 2) {
    idx = [];
    for (let i = 0; i < n; i++) if (lp[i]! >= max - margin) idx.push(i);
    if (idx.length >= k) break;
  }
  return idx.sort((a, b) => lp[b]! - lp[a]!).slice(0, k);
}
