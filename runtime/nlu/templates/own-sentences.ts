/**
 * Hearth's own sentences (runtime/nlu/sentences/en.yaml, in Home Assistant's template language), read once from this
 * installation's runtime/nlu/sentences (found upwards, so tests on the sources and the built hub read the same file).
 * The home's grammar (asr/grammar.ts) is built from them: without them "set a timer for five minutes" could be typed
 * but not said. Besides the hub's {name}, {area} and {floor}, they may use the grammar's {kind} (kind words of the
 * home's devices) and {measure} (what its sensors measure).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOME_LISTS, parseCustomFile, type CustomSet } from './custom.js';

function sentencesFile(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dirname(dir) !== dir; dir = dirname(dir)) {
    const f = join(dir, 'runtime', 'nlu', 'sentences', 'en.yaml');
    if (existsSync(join(dir, 'package.json')) && existsSync(f)) return f;
  }
  return undefined;
}

const EMPTY: CustomSet = { sentences: [], lists: {}, rules: {}, skipWords: [], responses: {} };
let own: CustomSet | undefined;

/** The sentences (none when the file is missing: the grammar then holds only the dialogue words). */
export function ownSentences(): CustomSet {
  if (!own) {
    const file = sentencesFile();
    own = file ? parseCustomFile(file, readFileSync(file, 'utf8'), [...HOME_LISTS, 'kind', 'measure']) : EMPTY;
  }
  return own;
}
