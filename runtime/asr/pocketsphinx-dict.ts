/**
 * A pronunciation dictionary holding only the words of the home's grammar, cut from the model's CMU dictionary: each
 * pocketsphinx decoder loaded with the whole one (134,000 words) takes about 22 MB, with this one a few hundred KB, and
 * the hub keeps one decoder per satellite speaking at once.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fallbackPronunciation } from './grammar.js';

/** Each word's pronunciations (variants are `word(2)` lines in the file), the letter-to-sound guess for a word it lacks. */
export function pronunciations(dictPath: string, words: Iterable<string>): Map<string, string[]> {
  const wanted = new Set(words);
  const out = new Map<string, string[]>();
  for (const line of readFileSync(dictPath, 'utf8').split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const word = line.slice(0, space).replace(/\(\d+\)$/, '');
    if (!wanted.has(word)) continue;
    const phones = line.slice(space + 1).trim();
    out.set(word, [...(out.get(word) ?? []), phones]);
  }
  for (const w of wanted) if (!out.has(w)) out.set(w, [fallbackPronunciation(w)]);
  return out;
}

export function writeDict(path: string, prons: ReadonlyMap<string, readonly string[]>): void {
  const lines = [...prons].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([w, ps]) => ps.map((p, i) => `${i === 0 ? w : `${w}(${i + 1})`} ${p}`));
  writeFileSync(path, `${lines.join('\n')}\n`);
}
