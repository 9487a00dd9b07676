/**
 * Wake-word accuracy on a labelled folder (tools/wake-data/generate.ts writes one): every file is
 * streamed through the real stage (noise-floor and Silero VAD gating, openWakeWord, as configured) with 1.5 s of
 * silence between files, and each word's score trace is kept. From the traces: false rejects per
 * word (its positives that never fire) and false accepts per hour (firings on everything else:
 * negatives and the other words' positives), at the configured threshold and swept over thresholds
 * for the DET curve. The headline and the DET curve count the goal's conditions (GOAL_SETS); positives in
 * harder ones (10 and 5 dB SNR, reverberation) are reported by condition beside them.
 */
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { HearthConfig } from '../../runtime/config/config.js';
import type { Logger } from '../../runtime/log.js';
import { FRAME_MS } from '../../runtime/types/audio.js';
import { HearthError } from '../../runtime/types/errors.js';
import { Framer } from '../../runtime/audio/framer.js';
import { DcBlocker } from '../../runtime/audio/dc-block.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { createWakeEngine } from '../../runtime/wake/engine.js';
import { DEFAULT_MODELS_DIR, readManifest } from '../../runtime/models/manifest.js';
import { embeddingModelId, resolveWakeWords } from '../../runtime/wake/models.js';
import { loadSpeechGate } from '../../runtime/vad/speech-gate.js';
import { readNaturalSet, wakeWordOf } from './natural-set.js';

/** `wakeEndS`: where the wake word ends, on positives that say it alone (the generator writes it; other folders lack it). */
export interface EvalLabel { readonly file: string; readonly kind: 'positive' | 'negative'; readonly word?: string; readonly set: string; readonly voice: string; readonly wakeEndS?: number }
/** 0.02 to 0.98 in steps of 0.02, then finer near 1, where trained classifiers put most of their scores. */
export const DET_THRESHOLDS: readonly number[] = [...Array.from({ length: 49 }, (_, i) => Math.round((i + 1) * 2) / 100), 0.99, 0.995, 0.998, 0.999];

export interface DetPoint { readonly threshold: number; readonly frr: number; readonly faPerHour: number }
/** The goal's false-accept rate (issue 3): the operating points below are the best under it. */
export const GOAL_FA_PER_HOUR = 0.5;
/** Patience and verifier thresholds the operating-point sweep tries with every DET threshold. */
export const SWEEP_PATIENCE_FRAMES: readonly number[] = [1, 2, 3];
export const SWEEP_VERIFIER_THRESHOLDS: readonly number[] = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995];
/**
 * One patience and verifier threshold: the DET over the classifier's thresholds (DET_THRESHOLDS), and its lowest
 * false-reject rate under GOAL_FA_PER_HOUR (null when none is under it). Rates over the report's positives and
 * negative hours, so reports on separate sets pool by summing rate x count.
 */
export interface OperatingPoint { readonly patienceFrames: number; readonly verifierThreshold?: number; readonly best: DetPoint | null; readonly curve: readonly DetPoint[] }

/**
 * The lowest false-reject rate under GOAL_FA_PER_HOUR on a DET curve. Every threshold, not just down to the first over
 * the goal: the refractory period can merge firings, so false accepts need not grow at every step down. From the top,
 * so a tie keeps the higher threshold (fewer verifier runs).
 */
export function bestUnderGoal(curve: readonly DetPoint[]): DetPoint | null {
  let best: DetPoint | null = null;
  for (const p of [...curve].reverse()) if (p.faPerHour <= GOAL_FA_PER_HOUR && (!best || p.frr < best.frr)) best = p;
  return best;
}
export interface WordReport {
  readonly word: string;
  readonly threshold: number;
  /** Frames in a row at or over the threshold (the DET curve keeps it too). */
  readonly patienceFrames: number;
  /** The word's verifier's threshold, when it has one (the DET curve keeps it too: it sweeps the classifier's). */
  readonly verifierThreshold?: number;
  readonly positives: number;
  readonly falseRejects: number;
  /** False rejects by set (clean, snr20) and by voice family (espeak, flite), over the goal's conditions. */
  readonly frrBySet: Readonly<Record<string, { n: number; missed: number }>>;
  /** False rejects in the harder conditions (snr10, snr5, reverb), at the configured point; empty when the set has none. */
  readonly frrHarder: Readonly<Record<string, { n: number; missed: number }>>;
  readonly negativeHours: number;
  readonly falseAccepts: number;
  /** False accepts by negative set (speech, nearmiss, noise, music, or `positive:<other word>`). */
  readonly faBySet: Readonly<Record<string, number>>;
  readonly faPerHour: number;
  /**
   * Frames of the negatives on which the live hub would run the word's verifier at the configured point (absent without
   * a verifier, and in reports made before 2026-12-06): its CPU cost, per hour of negatives once divided by negativeHours.
   */
  readonly verifierCalls?: number;
  /**
   * For each goal positive that says the word alone (labels.json's wakeEndS) and is found at the configured point: ms
   * from the end of the wake word to the end of the frame it fired on (absent in reports made before 2026-12-06). The
   * live hub opens the utterance with the pre-roll before that frame, so a command said without a pause keeps its first
   * word only while this stays under the pre-roll.
   */
  readonly firesAfterWordEndMs?: readonly number[];
  readonly missedVoices: readonly string[];
  /** The files that fired at the configured threshold (a file once per firing): what to listen to when tuning. */
  readonly falseAcceptFiles: readonly string[];
  readonly det: readonly DetPoint[];
  /**
   * The DET swept again at each patience (and verifier threshold, for a word with a verifier): where a better setting
   * than the configured one may lie. Chosen on this set, a setting must be confirmed on one it never saw (--set N).
   */
  readonly operatingPoints: readonly OperatingPoint[];
}

/**
 * The conditions the accuracy goal is stated for (issue 3: clean and 20 dB SNR positives); 'positive' is
 * what a folder without labels.json calls its positives. Other conditions' positives are not in the
 * headline false-reject rate nor in the other words' negatives (so adding them moved no earlier number).
 */
export const GOAL_SETS: ReadonlySet<string> = new Set(['clean', 'snr20', 'positive']);

const GAP_FRAMES = 19; // 1.5 s of silence between files: longer than the 1.28 s the classifiers look back

/**
 * labels.json, or a natural-speech folder's manifest.tsv (wake clips are positives, every other clip a negative of
 * its category), or the folder layout positives/<word>/*.wav and negatives/<set>/*.wav.
 */
export function readLabels(folder: string): EvalLabel[] {
  const path = join(folder, 'labels.json');
  if (existsSync(join(folder, 'manifest.tsv'))) {
    return readNaturalSet(folder).clips.map((c) => c.category === 'wake'
      ? { file: relative(folder, c.audio), kind: 'positive' as const, word: wakeWordOf(c.said), set: 'positive', voice: c.id }
      : { file: relative(folder, c.audio), kind: 'negative' as const, set: c.category, voice: c.id });
  }
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as EvalLabel[];
  const walk = (dir: string): string[] => readdirSync(dir).flatMap((f) => statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : f.endsWith('.wav') ? [join(dir, f)] : []);
  if (!existsSync(join(folder, 'positives'))) throw new HearthError('wake-eval-folder', 'input', `${folder} has neither labels.json nor positives/<word>/ folders (make one with node dist/tools/wake-data/generate.js ${folder}).`);
  return walk(folder).map((f) => {
    const parts = relative(folder, f).split('/');
    return parts[0] === 'positives' ? { file: relative(folder, f), kind: 'positive' as const, word: parts[1]!, set: 'positive', voice: '' } : { file: relative(folder, f), kind: 'negative' as const, set: parts[1] ?? 'negative', voice: '' };
  });
}

/**
 * Several folders evaluated as one set (a set and its confirmation sets, say): their labels in folder order, the
 * goal's conditions first and the harder ones after (as one folder lists them, so a pooled run streams the goal's files
 * as the folders would one after the other). With several folders each file is named `<folder name>/<file>`.
 */
export function readSets(folders: readonly string[]): { labels: EvalLabel[]; paths: string[] } {
  if (folders.length === 0) throw new HearthError('wake-eval-folder', 'input', 'wake-eval needs at least one folder.');
  const names = folders.map((f, i) => folders.filter((g) => basename(g) === basename(f)).length > 1 ? `${i + 1}-${basename(f)}` : basename(f));
  const all = folders.flatMap((folder, i) => readLabels(folder).map((l) => ({ label: folders.length > 1 ? { ...l, file: `${names[i]}/${l.file}` } : l, path: join(folder, l.file) })));
  const harder = (l: EvalLabel) => l.kind === 'positive' && !GOAL_SETS.has(l.set);
  const ordered = [...all.filter((x) => !harder(x.label)), ...all.filter((x) => harder(x.label))];
  return { labels: ordered.map((x) => x.label), paths: ordered.map((x) => x.path) };
}

/** A word's verifier trace (its score on each frame it ran on) and the threshold it vetoes under. */
export interface VerifierTrace { readonly trace: Float32Array; readonly threshold: number }

/**
 * Firings in a score trace at `threshold`: `patience` frames in a row, then quiet for the refractory
 * period. With a verifier, as the live decider does: a candidate it vetoes does not fire and stays a
 * candidate on the next frame while the score holds. `verifierCalls`: the frames on which the live hub would run the
 * verifier (every candidate frame), what a low classifier threshold costs in CPU.
 */
export function walkTrace(trace: Float32Array, threshold: number, patience: number, refractoryFrames: number, verifier?: VerifierTrace): { fired: number; verifierCalls: number; firstFiredFrame: number } {
  let fired = 0, verifierCalls = 0, run = 0, quiet = -1, firstFiredFrame = -1;
  for (let i = 0; i < trace.length; i++) {
    if (i <= quiet || trace[i]! < threshold) { run = 0; continue; }
    if (++run < patience) continue;
    if (verifier) { verifierCalls++; if (verifier.trace[i]! < verifier.threshold) continue; }
    if (fired++ === 0) firstFiredFrame = i;
    run = 0; quiet = i + refractoryFrames;
  }
  return { fired, verifierCalls, firstFiredFrame };
}

export function firings(trace: Float32Array, threshold: number, patience: number, refractoryFrames: number, verifier?: VerifierTrace): number {
  return walkTrace(trace, threshold, patience, refractoryFrames, verifier).fired;
}

export async function evaluateWake(folders: string | readonly string[], config: HearthConfig, log: Logger, progress: (done: number, total: number) => void = () => undefined): Promise<WordReport[]> {
  const { labels, paths } = readSets(typeof folders === 'string' ? [folders] : folders);
  // The words the folder has positives for, and every configured word: a word with no positives here still counts its false accepts.
  const words = [...new Set([...labels.filter((l) => l.kind === 'positive').map((l) => l.word!), ...config.wake.words.map((w) => w.id)])].sort();
  const modelsDir = config.wake.modelsDir ?? DEFAULT_MODELS_DIR;
  // Every word with positives in the folder, configured as the config says or else with its defaults.
  const settings = resolveWakeWords({ classifiers: config.wake.classifiers, verifiers: config.wake.verifiers, words: words.map((id) => config.wake.words.find((w) => w.id === id) ?? { id, model: null, threshold: null, patienceFrames: null, refractoryMs: 2000 }) }, modelsDir);
  const engine = await createWakeEngine(config.wake.engine, {
    modelsDir, runtime: config.wake.runtime, embeddingModelId: embeddingModelId(config.wake.embedding), warmupMs: 0, vadGateThreshold: config.wake.vadGateThreshold, vadGateHangoverFrames: config.wake.vadGateHangoverFrames,
    words: settings.map((w) => ({ ...w, threshold: 2 })), // never fires: the traces are judged here
    traceVerifiersFrom: DET_THRESHOLDS[0]!,
  }, log);
  const verifierThresholds = new Map(settings.flatMap((w) => w.verifierId ? [[w.id, readManifest(modelsDir, w.verifierId).threshold ?? 0.5] as const] : []));
  const vad = await loadSpeechGate(engine.runtimeId, modelsDir, config.wake.noiseFloorMarginDb, log);
  const framer = new Framer();
  const dc = new DcBlocker(); // as the live listener does at its edge
  const silence = new Int16Array(GAP_FRAMES * 1280);
  for (const f of framer.push(new Int16Array(25 * 1280))) await engine.process(f, await vad.process(f.samples)); // warm-up
  const traces: Map<string, Float32Array>[] = [];
  const verifierTraces: Map<string, Float32Array>[] = [];
  for (const [i, label] of labels.entries()) {
    const { samples } = readWav16k(paths[i]!);
    const frames = [...framer.push(samples), ...framer.flush(), ...framer.push(silence)].map((f) => dc.frame(f));
    const trace = new Map(words.map((w) => [w, new Float32Array(frames.length)]));
    const vtrace = new Map([...verifierThresholds.keys()].map((w) => [w, new Float32Array(frames.length)]));
    for (const [k, f] of frames.entries()) {
      const r = await engine.process(f, await vad.process(f.samples));
      for (const w of words) trace.get(w)![k] = r.scores.get(w) ?? 0;
      for (const [w, v] of r.verifierScores) vtrace.get(w)![k] = v;
    }
    traces.push(trace);
    verifierTraces.push(vtrace);
    progress(i + 1, labels.length);
  }
  await engine.stop();
  return settings.map((s) => report(s, labels, traces, verifierThresholds.has(s.id) ? { traces: verifierTraces, threshold: verifierThresholds.get(s.id)! } : undefined));
}

function report(s: { id: string; threshold: number; patienceFrames: number; refractoryMs: number }, labels: readonly EvalLabel[], traces: readonly Map<string, Float32Array>[],
  verifier?: { traces: readonly Map<string, Float32Array>[]; threshold: number }): WordReport {
  const refractory = Math.round(s.refractoryMs / FRAME_MS);
  const all = labels.map((l, i) => ({ l, t: traces[i]!.get(s.id)!, v: verifier && { trace: verifier.traces[i]!.get(s.id)!, threshold: verifier.threshold } }));
  const goal = all.filter((x) => x.l.kind === 'negative' || GOAL_SETS.has(x.l.set));
  const pos = goal.filter((x) => x.l.kind === 'positive' && x.l.word === s.id);
  const neg = goal.filter((x) => !(x.l.kind === 'positive' && x.l.word === s.id));
  const harder = all.filter((x) => x.l.kind === 'positive' && x.l.word === s.id && !GOAL_SETS.has(x.l.set));
  const hours = neg.reduce((a, x) => a + (x.t.length - GAP_FRAMES) * FRAME_MS, 0) / 3_600_000;
  const at = (threshold: number, patience = s.patienceFrames, verifierThreshold = verifier?.threshold) => {
    const v = (x: (typeof all)[number]) => x.v && { trace: x.v.trace, threshold: verifierThreshold! };
    const missed = pos.filter((x) => firings(x.t, threshold, patience, refractory, v(x)) === 0);
    const fa = neg.reduce((a, x) => a + firings(x.t, threshold, patience, refractory, v(x)), 0);
    return { missed, fa };
  };
  const point = (t: number, r: ReturnType<typeof at>): DetPoint => ({ threshold: t, frr: r.missed.length / Math.max(1, pos.length), faPerHour: r.fa / Math.max(hours, 1e-9) });
  const here = at(s.threshold);
  const faBySet: Record<string, number> = {};
  const falseAcceptFiles: string[] = [];
  let verifierCalls = 0;
  for (const x of neg) {
    const { fired: n, verifierCalls: calls } = walkTrace(x.t, s.threshold, s.patienceFrames, refractory, x.v);
    verifierCalls += calls;
    const key = x.l.kind === 'positive' ? `positive:${x.l.word}` : x.l.set;
    if (n > 0) faBySet[key] = (faBySet[key] ?? 0) + n;
    for (let k = 0; k < n; k++) falseAcceptFiles.push(x.l.file);
  }
  const frrBySet: Record<string, { n: number; missed: number }> = {};
  for (const x of pos) {
    // By set (clean, snr20) and by voice family (espeak, flite): where a model falls short shows here.
    for (const key of [x.l.set, ...(x.l.voice ? [x.l.voice.split('-')[0]!] : [])]) {
      const e = (frrBySet[key] ??= { n: 0, missed: 0 });
      e.n++;
      if (here.missed.includes(x)) e.missed++;
    }
  }
  // Frame k of a file ends at (k + 1) x 80 ms: the wake event's atMs, from which the live hub counts its pre-roll back.
  const firesAfterWordEndMs: number[] = [];
  for (const x of pos) {
    const { firstFiredFrame } = walkTrace(x.t, s.threshold, s.patienceFrames, refractory, x.v);
    if (firstFiredFrame >= 0 && x.l.wakeEndS !== undefined) firesAfterWordEndMs.push(Math.round((firstFiredFrame + 1) * FRAME_MS - x.l.wakeEndS * 1000));
  }
  const frrHarder: Record<string, { n: number; missed: number }> = {};
  for (const x of harder) {
    const e = (frrHarder[x.l.set] ??= { n: 0, missed: 0 });
    e.n++;
    if (firings(x.t, s.threshold, s.patienceFrames, refractory, x.v) === 0) e.missed++;
  }
  const det: DetPoint[] = [];
  for (const t of DET_THRESHOLDS) det.push(point(t, at(t)));
  const operatingPoints: OperatingPoint[] = [];
  for (const patience of SWEEP_PATIENCE_FRAMES) {
    for (const vt of verifier ? SWEEP_VERIFIER_THRESHOLDS : [undefined]) {
      const curve = DET_THRESHOLDS.map((t) => point(t, at(t, patience, vt)));
      operatingPoints.push({ patienceFrames: patience, ...(vt !== undefined ? { verifierThreshold: vt } : {}), best: bestUnderGoal(curve), curve });
    }
  }
  return {
    word: s.id, threshold: s.threshold, patienceFrames: s.patienceFrames, ...(verifier ? { verifierThreshold: verifier.threshold } : {}), positives: pos.length, falseRejects: here.missed.length, frrBySet, frrHarder, negativeHours: hours,
    falseAccepts: here.fa, faBySet, faPerHour: here.fa / Math.max(hours, 1e-9), ...(verifier ? { verifierCalls } : {}), firesAfterWordEndMs, missedVoices: here.missed.map((x) => x.l.voice || x.l.file), falseAcceptFiles, det, operatingPoints,
  };
}
