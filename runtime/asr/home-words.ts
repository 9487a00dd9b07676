/** The words of a home an ASR grammar is built from, read off the hub's lexicon (built once per registry revision). */
import type { Lexicon } from '../nlu/lexicon.js';
import type { HomeWords } from './engine.js';

export function homeWordsOf(lexicon: Lexicon): HomeWords {
  return { names: lexicon.devices.flatMap((d) => [d.name, ...d.aliases]), areas: [...lexicon.areas] };
}
