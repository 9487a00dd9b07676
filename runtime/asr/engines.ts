/** ASR engines by config id. An unknown id is a config error listing the known ones. */
import type { Logger } from '../log.js';
import { HearthError } from '../types/errors.js';
import { DEFAULT_MODELS_DIR } from '../models/manifest.js';
import type { RuntimeId } from '../models/onnx.js';
import { AmortizedEngine } from './amortized/engine.js';
import { MoonshineEngine } from './moonshine/engine.js';
import type { AsrEngine, HomeWords } from './engine.js';
import { DEBIAN_MODEL, PocketsphinxEngine, POCKETSPHINX_DEFAULTS, type PocketsphinxSettings } from './pocketsphinx.js';

export interface AsrSettings {
  readonly pocketsphinxMinScorePerFrame: number;
  readonly pocketsphinxCmn: PocketsphinxSettings['cmn'];
  readonly amortizedMinConfidence: number;
  /** Arbitrator threshold of the amortized model; null = the model's own, 0 = every block runs. */
  readonly amortizedThreshold: number | null;
  readonly beamWidth: number;
  readonly moonshineMinConfidence: number;
  readonly moonshineBeam: number;
  /** The household's pocketsphinx adaptation (`hearth learn --voices`: an MLLR matrix or MAP means), when one is active. */
  readonly pocketsphinxAdaptation?: { readonly mllr?: string; readonly mean?: string };
  /** The household's amortized-model adaptation: adapted graphs by file name. */
  readonly amortizedAdaptation?: Readonly<Record<string, string>>;
  readonly modelsDir?: string | null;
  readonly runtime?: 'auto' | RuntimeId;
}
export const ASR_DEFAULTS: AsrSettings = {
  pocketsphinxMinScorePerFrame: POCKETSPHINX_DEFAULTS.minScorePerFrame, pocketsphinxCmn: POCKETSPHINX_DEFAULTS.cmn, amortizedMinConfidence: 0.6, amortizedThreshold: null, beamWidth: 32,
  moonshineMinConfidence: 0.5, moonshineBeam: 2 };

export const ASR_ENGINES: Readonly<Record<string, (home: HomeWords, s: AsrSettings, log?: Logger) => AsrEngine>> = {
  pocketsphinx: (home, s) => new PocketsphinxEngine(home, { ...DEBIAN_MODEL, ...s.pocketsphinxAdaptation }, {
    minScorePerFrame: s.pocketsphinxMinScorePerFrame, cmn: s.pocketsphinxCmn,
  }),
  amortized: (home, s, log) => new AmortizedEngine(home, {
    modelsDir: s.modelsDir ?? DEFAULT_MODELS_DIR, runtime: s.runtime ?? 'auto', threshold: s.amortizedThreshold ?? undefined,
    minConfidence: s.amortizedMinConfidence, beam: s.beamWidth, ...(s.amortizedAdaptation ? { adapted: s.amortizedAdaptation } : {}),
  }, log),
  moonshine: (home, s, log) => new MoonshineEngine(home, {
    modelsDir: s.modelsDir ?? DEFAULT_MODELS_DIR, runtime: s.runtime ?? 'auto', minConfidence: s.moonshineMinConfidence, beam: s.moonshineBeam,
  }, log),
};

/** The ASR settings from a hub config: asr.*, with the models folder and ONNX runtime of the audio stages. */
/** Engines that pass the ASR contract (test/asr/contract.test.ts); a new engine joins when it passes. */
export const CONTRACT_ENGINES: readonly string[] = ['pocketsphinx', 'amortized', 'moonshine'];

export function asrSettingsOf(config: { readonly asr: Omit<AsrSettings, 'modelsDir' | 'runtime'>; readonly wake: { readonly modelsDir: string | null; readonly runtime: 'auto' | RuntimeId } }): AsrSettings {
  return { ...config.asr, modelsDir: config.wake.modelsDir, runtime: config.wake.runtime };
}

export function createAsrEngine(id: string, home: HomeWords, settings: AsrSettings = ASR_DEFAULTS, log?: Logger): AsrEngine {
  const f = ASR_ENGINES[id];
  if (!f) throw new HearthError('asr-engine-unknown', 'config', `asr.engine "${id}" is not known; known engines: ${Object.keys(ASR_ENGINES).join(', ')}.`);
  return f(home, settings, log);
}
