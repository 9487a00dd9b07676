/**
 * The learned half of failure-point isolation: a softmax regression over a handful of features of
 * a defective turn and the person's next request, trained on simulator turns whose faults were
 * injected at known stages (tools/train/failure-point.ts). The rule baseline is one of its
 * features, so the model learns where the rules go wrong (most of all: ASR slip or unknown name?).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { features as textFeatures, similarity, wordSound } from '../rewrite/similarity.js';
import { normalize } from '../nlu/normalize.js';
import { CARRIER_WORDS } from '../nlu/vocabulary.js';
import { failurePoint, type FailureStage, type TurnFacts } from './failure-point.js';

export const STAGES: readonly FailureStage[] = ['wake', 'asr', 'nlu', 'resolve', 'result'];
const OUTCOMES = ['no-match', 'no-device', 'not-supported', 'action-done', 'answered', 'error'];
const VERBS = /\b(turn|switch|set|put|make|dim|open|close|lock|unlock|start|stop|play|pause|what|is|are)\b/;

export interface FailureInput extends TurnFacts {
  readonly text: string;
  readonly unknownName: string | null;
  readonly nextText: string | null;
  /** The home's words (device names, areas): a misheard word sounds like one of them, a nickname does not. */
  readonly vocabulary: ReadonlySet<string>;
}

/** The feature vector (bias first). */
export function failureFeatures(x: FailureInput): number[] {
  const rule = failurePoint(x);
  const words = normalize(x.text).split(' ').filter(Boolean);
  const next = x.nextText ? normalize(x.nextText).split(' ').filter(Boolean) : [];
  const changed = words.filter((w) => !next.includes(w) && !CARRIER_WORDS.has(w));
  // How close the words the person changed are to the words they used instead: a slip sounds alike ("lamb"/"lamp"), a nickname does not ("telly"/"screen").
  const nearest = changed.length === 0 || next.length === 0 ? 0
    : Math.max(...changed.map((w) => Math.max(...next.map((n) => (wordSound(n) === wordSound(w) ? 1 : similarity(textFeatures(w), textFeatures(n)))))));
  const unknown = words.filter((w) => !CARRIER_WORDS.has(w) && !x.vocabulary.has(w) && !VERBS.test(w));
  const misheard = unknown.filter((w) => [...x.vocabulary].some((v) => wordSound(v) === wordSound(w) || similarity(textFeatures(w), textFeatures(v)) >= 0.5)).length;
  return [
    1,
    unknown.length === 0 ? 0 : misheard / unknown.length,
    unknown.length === 0 ? 1 : 0,
    ...OUTCOMES.map((o) => (x.outcome === o ? 1 : 0)),
    ...STAGES.map((s) => (rule === s ? 1 : 0)),
    x.unknownName ? 1 : 0,
    Math.min(words.length, 12) / 12,
    VERBS.test(words.join(' ')) ? 1 : 0,
    x.nextText ? 1 : 0,
    x.next && ['action-done', 'answered'].includes(x.next.outcome) ? 1 : 0,
    x.next && x.next.intent === x.intent ? 1 : 0,
    nearest,
    changed.length / Math.max(1, words.length),
    x.nextText ? similarity(textFeatures(normalize(x.text)), textFeatures(normalize(x.nextText))) : 0,
    x.rewrite ? 1 : 0,
  ];
}

export interface FailureModel { readonly stages: readonly FailureStage[]; readonly weights: readonly (readonly number[])[] }

export function predictStage(model: FailureModel, f: readonly number[]): FailureStage {
  let best = 0, bestScore = -Infinity;
  model.weights.forEach((w, k) => {
    const score = w.reduce((a, wi, i) => a + wi * (f[i] ?? 0), 0);
    if (score > bestScore) { bestScore = score; best = k; }
  });
  return model.stages[best]!;
}

/** Softmax regression by batch gradient descent with L2; small data, small model. */
export function trainFailureModel(xs: readonly number[][], ys: readonly FailureStage[], epochs = 6000, rate = 2, l2 = 1e-5): FailureModel {
  const d = xs[0]!.length;
  const w = STAGES.map(() => new Array<number>(d).fill(0));
  for (let e = 0; e < epochs; e++) {
    const grad = STAGES.map(() => new Array<number>(d).fill(0));
    xs.forEach((x, n) => {
      const scores = w.map((wk) => wk.reduce((a, wi, i) => a + wi * x[i]!, 0));
      const max = Math.max(...scores);
      const exp = scores.map((s) => Math.exp(s - max));
      const z = exp.reduce((a, b) => a + b, 0);
      STAGES.forEach((stage, k) => {
        const err = exp[k]! / z - (ys[n] === stage ? 1 : 0);
        for (let i = 0; i < d; i++) grad[k]![i]! += err * x[i]!;
      });
    });
    w.forEach((wk, k) => { for (let i = 0; i < d; i++) wk[i] = wk[i]! - rate * (grad[k]![i]! / xs.length + l2 * wk[i]!); });
  }
  return { stages: STAGES, weights: w.map((wk) => wk.map((v) => Math.round(v * 1e4) / 1e4)) };
}

export function loadFailureModel(modelsDir: string): FailureModel | undefined {
  try {
    return JSON.parse(readFileSync(join(modelsDir, 'failure-point', 'weights.json'), 'utf8')) as FailureModel;
  } catch {
    return undefined;
  }
}
