/** ASR engines by config id. An unknown id is a config error listing the known ones. */
import { HearthError } from '../types/errors.js';
import type { AsrEngine, HomeWords } from './engine.js';
import { PocketsphinxEngine } from './pocketsphinx.js';

export const ASR_ENGINES: Readonly<Record<string, (home: HomeWords) => AsrEngine>> = {
  pocketsphinx: (home) => new PocketsphinxEngine(home),
};

export function createAsrEngine(id: string, home: HomeWords): AsrEngine {
  const f = ASR_ENGINES[id];
  if (!f) throw new HearthError('asr-engine-unknown', 'config', `asr.engine "${id}" is not known; known engines: ${Object.keys(ASR_ENGINES).join(', ')}.`);
  return f(home);
}
