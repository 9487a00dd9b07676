/**
 * The check an adaptation must pass before the hub uses it, on the held-back turns, with and without it: their
 * log-likelihood given their words (bw's forward-backward total per 10 ms frame) must rise, and decoded against the
 * household's own requests (every kept turn's words as one grammar) no fewer may come out right. MLLR raises the
 * likelihood of the turns it saw; on turns it did not see it rises only when the transform fits the voices rather than
 * those turns. (The decoder's own path score cannot tell: pocketsphinx scores each frame against its best Gaussian.)
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HearthError } from '../../types/errors.js';
import { pronunciations, writeDict } from '../../asr/pocketsphinx-dict.js';
import { baumWelch, type Corpus, type LabelledAudio, type SphinxAdaptation, type SphinxModel } from './sphinxtrain.js';

interface CheckDecoder {
  setGrammar(name: string, jsgf: string): void;
  start(): number;
  process(samples: Int16Array, full?: boolean): Promise<string | null>;
  end(): { text: string | null };
}

export interface CheckResult {
  readonly correct: number;
  readonly total: number;
  /** Log-likelihood per 10 ms frame of the turns given their words (higher is a closer fit). */
  readonly logLikelihoodPerFrame: number;
}

export function words(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').trim().replace(/\s+/g, ' ');
}

/** `turns` (written as `corpus`) with `adapted` applied (none: the model as shipped), decoded against `sentences`. */
export async function checkTurns(turns: readonly LabelledAudio[], corpus: Corpus, sentences: readonly string[], model: SphinxModel, baseDir: string, adapted: SphinxAdaptation): Promise<CheckResult> {
  const mod = createRequire(import.meta.url)('hearth-pocketsphinx-native') as { Decoder?: new (o: object) => CheckDecoder };
  if (!mod.Decoder) throw new HearthError('asr-engine-missing', 'environment', 'The pocketsphinx addon was not built.');
  const said = [...new Set(sentences.map(words).filter((s) => s !== ''))];
  const dir = mkdtempSync(join(tmpdir(), 'hearth-voices-check-'));
  try {
    writeDict(join(dir, 'check.dict'), pronunciations(model.dict, said.flatMap((s) => s.split(' '))));
    const dec = new mod.Decoder({ hmm: model.hmm, dict: join(dir, 'check.dict'), cmn: 'batch', ...adapted });
    dec.setGrammar('household', `#JSGF V1.0;\ngrammar household;\npublic <s> = ${said.map((s) => `(${s})`).join(' | ')};\n`);
    let correct = 0;
    for (const t of turns) {
      dec.start();
      await dec.process(t.samples, true);
      const r = dec.end();
      if (r.text !== null && words(r.text) === words(t.text)) correct++;
    }
    return { correct, total: turns.length, logLikelihoodPerFrame: await baumWelch(corpus, model, baseDir, adapted) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether `after` is better than `before` on the same held-back turns. */
export function better(after: CheckResult, before: CheckResult): boolean {
  return after.correct >= before.correct && after.logLikelihoodPerFrame > before.logLikelihoodPerFrame;
}
