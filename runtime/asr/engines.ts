/** ASR engines by config id. An unknown id is a config error listing the known ones. */
import { HearthError } from '../types/errors.js';
import type { AsrEngine, HomeWords } from './engine.js';
import { DEBIAN_MODEL, PocketsphinxEngine } from './pocketsphinx.js';

export interface AsrSettings { readonly pocketsphinxMinScorePerFrame: number }
const DEFAULTS: AsrSettings = { pocketsphinxMinScorePerFrame: -45 };

export const ASR_ENGINES: Readonly<Record<string, (home: HomeWords, s: AsrSettings) => AsrEngine>> = {
  pocketsphinx: (home, s) => new PocketsphinxEngine(home, DEBIAN_MODEL, s.pocketsphinxMinScorePerFrame),
};

export function createAsrEngine(id: string, home: HomeWords, settings: AsrSettings = DEFAULTS): AsrEngine {
  const f = ASR_ENGINES[id];
  if (!f) throw new HearthError('asr-engine-unknown', 'config', `asr.engine "${id}" is not known; known engines: ${Object.keys(ASR_ENGINES).join(', ')}.`);
  return f(home, settings);
}
