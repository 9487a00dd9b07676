/**
 * `hearth learn --voices`: adapts pocketsphinx to the household's kept turns (kept.ts) by MLLR and by MAP
 * (sphinxtrain.ts). Every tenth turn is held back; the candidate that does best on those is kept only when it does
 * better than what is active now (check.ts), and becomes a new version (versions.ts) that `--rollback` undoes.
 * Nothing leaves the hub.
 */
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { tmpdir } from 'node:os';
import type { FeedbackSettings } from '../feedback.js';
import type { VoiceTurns } from './kept.js';
import { estimateAdaptations, writeCorpus, type LabelledAudio, type SphinxAdaptation, type SphinxModel } from './sphinxtrain.js';
import { better, checkTurns, type CheckResult } from './check.js';
import { Adaptations, activeAdaptation } from './versions.js';

/** Fewer turns than this are too few to estimate a transform from (3 streams x 13 x 14 parameters). */
export const MIN_VOICE_TURNS = 20;

export type AdaptMethod = 'mllr' | 'map';

export interface AdaptReport {
  readonly engine: 'pocketsphinx';
  /** Turns that worked, and of them held back for the check. */
  readonly turns: number;
  readonly heldBack: number;
  readonly kept: boolean;
  readonly version?: number;
  readonly method?: AdaptMethod;
  /** What is active now (the model as shipped, or the last version kept), on the held-back turns. */
  readonly before?: CheckResult;
  /** Each candidate on the held-back turns. */
  readonly candidates?: Readonly<Record<AdaptMethod, CheckResult>>;
  readonly why: string;
}

/** The model's files as sphinxtrain reads them, made once per hub. */
const baseDirOf = (dataDir: string) => join(dataDir, 'voices', 'pocketsphinx', 'base');

/** Every tenth turn in time order is held back (at least one). */
export function splitHeldBack<T>(turns: readonly T[]): { adapt: T[]; heldBack: T[] } {
  const adapt: T[] = [], heldBack: T[] = [];
  turns.forEach((t, i) => ((i % 10 === 9) ? heldBack : adapt).push(t));
  if (heldBack.length === 0 && adapt.length > 1) heldBack.push(adapt.pop()!);
  return { adapt, heldBack };
}

type Estimate = (t: readonly LabelledAudio[], work: string) => Promise<Record<AdaptMethod, SphinxAdaptation>>;

export interface AdaptOptions {
  /** Makes the candidates (a seam for tests: a candidate made worse on purpose must not be kept). */
  readonly estimate?: Estimate;
  /** MIN_VOICE_TURNS unless said (the natural-speech evaluation has fewer recordings of one person). */
  readonly minTurns?: number;
}

export async function adaptPocketsphinx(voices: VoiceTurns, dataDir: string, model: SphinxModel, feedback: FeedbackSettings, o: AdaptOptions = {}): Promise<AdaptReport> {
  const baseDir = baseDirOf(dataDir), estimate = o.estimate, minTurns = o.minTurns ?? MIN_VOICE_TURNS;
  const turns = voices.worked(feedback).map((t) => ({ id: t.turnId, text: t.text, audio: t.audio }));
  const { adapt, heldBack } = splitHeldBack(turns);
  const base = { engine: 'pocketsphinx' as const, turns: turns.length, heldBack: heldBack.length };
  if (turns.length < minTurns) return { ...base, kept: false, why: `${turns.length} turns that worked are kept; at least ${minTurns} are needed` };
  const work = mkdtempSync(join(tmpdir(), 'hearth-voices-'));
  try {
    const made = await (estimate ?? ((t, w) => estimateAdaptations(t, model, w, baseDir)))(adapt, join(work, 'adapt'));
    const sentences = turns.map((t) => t.text);
    const corpus = writeCorpus(heldBack, model, join(work, 'check'));
    const check = (a: SphinxAdaptation) => checkTurns(heldBack, corpus, sentences, model, baseDir, a);
    const before = await check(activeAdaptation(dataDir));
    const candidates = { mllr: await check(made.mllr), map: await check(made.map) };
    const ranked = (['map', 'mllr'] as const).filter((m) => better(candidates[m], before))
      .sort((a, b) => candidates[b].sure - candidates[a].sure || candidates[b].correct - candidates[a].correct || candidates[b].logLikelihoodPerFrame - candidates[a].logLikelihoodPerFrame);
    const method = ranked[0];
    if (!method) return { ...base, kept: false, before, candidates, why: 'neither MLLR nor MAP did better on the held-back turns than what is active' };
    const versions = new Adaptations(dataDir, 'pocketsphinx');
    const { version, dir } = versions.reserve();
    for (const f of Object.values(made[method])) copyFileSync(f as string, join(dir, basename(f as string)));
    const report: AdaptReport = { ...base, kept: true, version, method, before, candidates, why: `${method.toUpperCase()} did best on the held-back turns, and better than what was active` };
    writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
    versions.activate(version);
    return report;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
