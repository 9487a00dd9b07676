/**
 * Hearth's own sentences for what is not a device (timers, the weather: runtime/nlu/sentences/en.yaml, in Home
 * Assistant's template language), as JSGF alternatives for the home's grammar: without them "set a timer for five
 * minutes" could be typed but not said. Read once, from this installation's runtime/nlu/sentences (found upwards, so
 * tests on the sources and the built hub read the same file).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCustomFile } from '../nlu/templates/custom.js';
import { templateJsgf } from '../nlu/templates/jsgf.js';

function sentencesFile(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const f = join(dir, 'runtime', 'nlu', 'sentences', 'en.yaml');
    if (existsSync(join(dir, 'package.json')) && existsSync(f)) return f;
  }
  return undefined;
}

let phrases: string[] | undefined;

/** The phrases, as JSGF (empty when the file is missing: the grammar then offers device requests only). */
export function ownPhrases(): readonly string[] {
  if (!phrases) {
    const file = sentencesFile();
    const set = file ? parseCustomFile(file, readFileSync(file, 'utf8')) : undefined;
    phrases = set ? set.sentences.map((s) => templateJsgf(s.tree, set.lists, set.rules)).filter((x): x is string => x !== undefined) : [];
  }
  return phrases;
}
