/** The words of a home an ASR grammar is built from, read off the hub's lexicon (built once per registry revision). */
import type { Lexicon } from '../nlu/lexicon.js';
import type { HomeWords } from './engine.js';

export function homeWordsOf(lexicon: Lexicon): HomeWords {
  const kinds = new Set<string>();
  for (const d of lexicon.devices) {
    kinds.add(d.domain);
    if (d.deviceClass) kinds.add(`${d.domain}:${d.deviceClass}`);
  }
  const devices = lexicon.devices.map((d) => ({ name: d.name, aliases: d.aliases, domain: d.domain, ...(d.deviceClass ? { deviceClass: d.deviceClass } : {}) }));
  return { names: lexicon.devices.flatMap((d) => [d.name, ...d.aliases]), areas: [...new Set(lexicon.areas)], kinds: [...kinds].sort(), devices };
}
