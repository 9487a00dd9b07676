/**
 * The check an adaptation must pass before the hub uses it, on the held-back turns, with and without it: their
 * log-likelihood given their words (bw's forward-backward total per 10 ms frame) must rise, and heard as the hub hears
 * them (the pocketsphinx engine, its confidence gate, the household's own requests as its sentences) no fewer may come
 * out right, nor fewer right and sure enough to act on without "Did you say ...?". MLLR and MAP raise the likelihood of
 * the turns they saw; on turns they did not see it rises only when the change fits the voices rather than those turns.
 * (The decoder's own path score cannot tell: pocketsphinx scores each frame against its best Gaussian.)
 */
import { PocketsphinxEngine, POCKETSPHINX_DEFAULTS } from '../../asr/pocketsphinx.js';
import { needsConfirmation } from '../../asr/uncertain.js';
import { FRAME_MS, SAMPLE_RATE_HZ } from '../../types/audio.js';
import { baumWelch, words, type Corpus, type LabelledAudio, type SphinxAdaptation, type SphinxModel } from './sphinxtrain.js';

export interface CheckResult {
  /** Heard word for word. */
  readonly correct: number;
  /** Heard word for word and sure enough that the hub acts without asking. */
  readonly sure: number;
  readonly total: number;
  /** Log-likelihood per 10 ms frame of the turns given their words (higher is a closer fit). */
  readonly logLikelihoodPerFrame: number;
}

/** asr.pocketsphinxConfirmBelow's default: under it the hub asks before acting. */
export const CHECK_CONFIRM_BELOW = 0.9;

/** `turns` (written as `corpus`) with `adapted` applied (none: the model as shipped), heard against `sentences`. */
export async function checkTurns(turns: readonly LabelledAudio[], corpus: Corpus, sentences: readonly string[], model: SphinxModel, baseDir: string, adapted: SphinxAdaptation): Promise<CheckResult> {
  const said = [...new Set(sentences.map(words).filter((s) => s !== ''))];
  const engine = new PocketsphinxEngine({ names: [], areas: [], kinds: [], customPhrases: said }, { ...model, ...adapted }, POCKETSPHINX_DEFAULTS);
  const step = (SAMPLE_RATE_HZ * FRAME_MS) / 1000;
  let correct = 0, sure = 0;
  try {
    for (const t of turns) {
      const s = engine.start({});
      const samples = t.audio();
      for (let i = 0; i < samples.length; i += step) await s.push({ startMs: (i * 1000) / SAMPLE_RATE_HZ, samples: samples.subarray(i, i + step) });
      const r = await s.finish();
      const right = !r.rejected && r.hypotheses[0] !== undefined && words(r.hypotheses[0].text) === words(t.text);
      if (right) correct++;
      if (right && !needsConfirmation(r, CHECK_CONFIRM_BELOW)) sure++;
    }
  } finally {
    await engine.stop();
  }
  return { correct, sure, total: turns.length, logLikelihoodPerFrame: await baumWelch(corpus, model, baseDir, adapted) };
}

/** Whether `after` is better than `before` on the same held-back turns. */
export function better(after: CheckResult, before: CheckResult): boolean {
  return after.correct >= before.correct && after.sure >= before.sure && after.logLikelihoodPerFrame > before.logLikelihoodPerFrame;
}
