/**
 * How alike two requests are, the way ASR errors make them alike: character trigrams (a letter or
 * two changed) and word sound keys ("lite"/"light" share a key). The score is the better of the two
 * Dice coefficients. Features are sorted 32-bit hashes in typed arrays: 100,000 cached requests then
 * cost a few MB and almost nothing for the garbage collector, which keeps lookups' p99 low.
 */
import { soundKey as rawSoundKey } from '../nlu/fuzzy.js';

export interface Features {
  readonly grams: Int32Array;
  readonly sounds: Int32Array;
}

const soundMemo = new Map<string, string>();
/** soundKey with a memo: a home's requests reuse few words, and the key costs a dozen regexes. */
export function wordSound(word: string): string {
  let k = soundMemo.get(word);
  if (k === undefined) {
    k = rawSoundKey(word);
    if (soundMemo.size < 200_000) soundMemo.set(word, k);
  }
  return k;
}

export function soundOf(text: string): string {
  return text.split(' ').map(wordSound).join(' ');
}

export function features(text: string): Features {
  const padded = ` ${text} `;
  const grams = new Set<number>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(fnv1a(padded.slice(i, i + 3)));
  const sounds = new Set<number>(text.split(' ').filter(Boolean).map((w) => fnv1a(wordSound(w))));
  return { grams: Int32Array.from(grams).sort(), sounds: Int32Array.from(sounds).sort() };
}

function dice(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0, j = 0, shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) { shared++; i++; j++; } else if (a[i]! < b[j]!) i++; else j++;
  }
  return (2 * shared) / (a.length + b.length);
}

export function similarity(a: Features, b: Features): number {
  return Math.max(dice(a.grams, b.grams), dice(a.sounds, b.sounds));
}

/** Index keys of a text: its words and their sound keys (retrieval; the ranker then scores the few hits). */
export function indexKeys(text: string): string[] {
  const keys = new Set<string>();
  for (const w of text.split(' ')) {
    if (w.length < 2) continue;
    keys.add(`w:${w}`);
    keys.add(`s:${wordSound(w)}`);
  }
  return [...keys];
}

/**
 * Hashes of the request with each word left out in turn: two requests that differ in one word (the
 * commonest ASR slip) share one.
 */
export function skipOneKeys(text: string): number[] {
  const words = text.split(' ');
  if (words.length < 3) return [];
  return words.map((_, i) => fnv1a(words.map((w, j) => (j === i ? '\u0000' : w)).join(' ')));
}

/** 32-bit FNV-1a. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}
