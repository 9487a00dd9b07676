/**
 * Near misses for the home's names: "desk lamb" for Desk Lamp, "livin room" for Living Room, the
 * errors a speech recogniser or a hurried typist makes. A name is found by character trigrams
 * (cheap, so 500 devices cost nothing), then scored by edit distance, and a weaker edit score is
 * accepted only when both sides sound alike (a small Metaphone-style key). The recogniser asks
 * for this only after an exact reading found no name, so the fast path never pays for it.
 */
import { CARRIER_WORDS as STOP } from './vocabulary.js';

export interface FuzzyEntry {
  /** The phrase as the lexicon knows it (normalised), e.g. "desk lamp". */
  readonly phrase: string;
  readonly kind: 'name' | 'area';
}

export interface FuzzyHit {
  readonly start: number;
  readonly end: number;
  /** The words as heard. */
  readonly heard: string;
  readonly entry: FuzzyEntry;
  /** 0..1, 1 - edit distance / longer length. */
  readonly score: number;
}

interface Indexed extends FuzzyEntry { readonly words: number; readonly key: string }

const MIN_EDIT_SCORE = 0.8;
const MIN_SOUNDALIKE_SCORE = 0.6;

export class FuzzyNames {
  private readonly entries: Indexed[] = [];
  private readonly byGram = new Map<string, number[]>();
  private readonly maxWords: number;

  constructor(entries: Iterable<FuzzyEntry>) {
    const seen = new Set<string>();
    for (const e of entries) {
      if (e.phrase.length < 4 || seen.has(e.phrase)) continue;
      seen.add(e.phrase);
      const idx = this.entries.length;
      this.entries.push({ ...e, words: e.phrase.split(' ').length, key: soundKey(e.phrase) });
      for (const g of trigrams(e.phrase)) {
        const list = this.byGram.get(g);
        if (list) { if (list.at(-1) !== idx) list.push(idx); } else this.byGram.set(g, [idx]);
      }
    }
    this.maxWords = Math.max(1, ...this.entries.map((e) => e.words));
  }

  /**
   * The best near match among windows of tokens, or undefined. `usable[i]`: token i may be part of
   * a window (not inside an exactly matched name); `unknown[i]`: it was not understood at all. A
   * window needs one unknown token: "living room lamb" may become Living Room Lamp, while
   * "kitchen lights", all understood, stays the kitchen's lights.
   */
  find(tokens: readonly string[], usable: readonly boolean[], unknown: readonly boolean[]): FuzzyHit | undefined {
    let best: FuzzyHit | undefined;
    for (let start = 0; start < tokens.length; start++) {
      if (!usable[start] || STOP.has(tokens[start]!)) continue;
      for (let end = start + 1; end <= Math.min(tokens.length, start + this.maxWords + 1); end++) {
        if (!usable[end - 1]) break;
        if (!unknown.slice(start, end).some(Boolean)) continue;
        if (STOP.has(tokens[end - 1]!) || /^\d/.test(tokens[end - 1]!)) continue;
        const heard = tokens.slice(start, end).join(' ');
        if (heard.length < 3) continue;
        for (const idx of this.candidates(heard)) {
          const e = this.entries[idx]!;
          if (Math.abs(e.words - (end - start)) > 1) continue;
          const score = 1 - levenshtein(heard, e.phrase) / Math.max(heard.length, e.phrase.length);
          const ok = score >= MIN_EDIT_SCORE || (score >= MIN_SOUNDALIKE_SCORE && soundKey(heard) === e.key);
          if (ok && score < 1 && (!best || score > best.score || (score === best.score && end - start > best.end - best.start))) {
            best = { start, end, heard, entry: e, score: Math.round(score * 100) / 100 };
          }
        }
      }
    }
    return best;
  }

  /** Entries sharing at least a third of the heard phrase's trigrams. */
  private candidates(heard: string): number[] {
    const counts = new Map<number, number>();
    const grams = trigrams(heard);
    for (const g of grams) for (const idx of this.byGram.get(g) ?? []) counts.set(idx, (counts.get(idx) ?? 0) + 1);
    const need = Math.max(1, Math.floor(grams.size / 3));
    return [...counts].filter(([, n]) => n >= need).map(([idx]) => idx);
  }
}

function trigrams(s: string): Set<string> {
  const padded = ` ${s} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

/** Plain Levenshtein distance over characters, two rows. */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/**
 * A small English sound key in the spirit of Metaphone: spellings that sound alike map to one key
 * ("lite"/"light", "fone"/"phone", "kitchin"/"kitchen"). Vowels after the first letter of a word
 * are dropped, doubled consonants collapse, spaces are kept (word boundaries carry sound).
 */
export function soundKey(phrase: string): string {
  return phrase.split(' ').map((w) => {
    let s = w.toLowerCase().replace(/[^a-z]/g, '');
    s = s.replace(/^kn|^gn|^pn|^wr/, (m) => m[1]!).replace(/^x/, 's').replace(/^wh/, 'w');
    s = s.replace(/ph/g, 'f').replace(/gh(?![aeiou])/g, '').replace(/ck/g, 'k').replace(/sch/g, 'sk').replace(/tch/g, 'ch')
      .replace(/c(?=[iey])/g, 's').replace(/c/g, 'k').replace(/q/g, 'k').replace(/x/g, 'ks').replace(/z/g, 's')
      .replace(/dg(?=[iey])/g, 'j').replace(/v/g, 'f').replace(/th/g, '0').replace(/mb$/, 'm').replace(/y(?![aeiou])/g, '');
    const head = s.slice(0, 1);
    const tail = s.slice(1).replace(/[aeiouyhw]/g, '');
    return (head + tail).replace(/(.)\1+/g, '$1');
  }).join(' ');
}
