/**
 * The wake-word stage: one interface, engines by id (the config's `wake.engine`). The openWakeWord
 * engine shares the melspectrogram and embedding models between all wake words and runs each
 * word's small classifier on the last N embeddings (N from the model's input shape).
 */
import type { Logger } from '../log.js';
import { FRAME_MS, type AudioFrame, type WakeEvent } from '../types/audio.js';
import { HearthError } from '../types/errors.js';
import { embeddingFor } from '../models/cpu.js';
import { WakeDecider } from './detector.js';
import { MEL_BINS, WakeFeatures } from './features.js';
import { FftMel, OnnxMel, WIDE_MEL, type MelBands } from './mel.js';
import { readManifest, readModelBytes } from '../models/manifest.js';
import type { ResolvedWakeWord } from './models.js';
import { loadModel, loadRuntime, type ModelSession, type OnnxRuntime, type RuntimeId } from '../models/onnx.js';

export interface WakeEngineOptions {
  readonly modelsDir: string;
  readonly runtime: 'auto' | RuntimeId;
  /** Model folder of the speech embedding model (embeddingModelId() maps wake.embedding to it). */
  readonly embeddingModelId: string;
  /** resolveWakeWords() gives these: model folders, operating points, verifiers. */
  readonly words: readonly ResolvedWakeWord[];
  readonly warmupMs: number;
  /** Skip the embedding model on frames whose speech probability (and the few before) stays below this; 0 turns gating off. */
  readonly vadGateThreshold: number;
  readonly vadGateHangoverFrames: number;
  /**
   * 'streaming' (the default) runs the embedding model's streaming graph when its folder has one: same numbers,
   * less work; 'window' runs one 76-row window per embedding, as openWakeWord does (the bench compares the two).
   */
  readonly embeddingGraph?: 'streaming' | 'window';
  /** ONNX Runtime intra-op threads (wake.threads). */
  readonly threads?: number;
  /**
   * 'fft' (the default) computes the log-mel frames in TypeScript (mel.ts); 'onnx' runs openWakeWord's melspectrogram
   * model, which defines them (same rows within 1e-4; the bench and the tests compare the two).
   */
  readonly melFrontEnd?: 'fft' | 'onnx';
  /**
   * wake-eval only: run each word's verifier on every frame its classifier scores at this or more, so
   * its trace can be judged at any threshold (the live hub runs a verifier only on a candidate).
   */
  readonly traceVerifiersFrom?: number;
}

export interface WakeResult {
  readonly scores: ReadonlyMap<string, number>;
  readonly events: readonly WakeEvent[];
  /** Candidates a verifier vetoed on this frame (with its score). */
  readonly vetoed: readonly WakeEvent[];
  /** Verifier scores computed on this frame, by word. */
  readonly verifierScores: ReadonlyMap<string, number>;
  /** False when VAD gating skipped the wake models for this frame. */
  readonly evaluated: boolean;
}

export interface WakeEngine {
  readonly id: string;
  readonly runtimeId: RuntimeId;
  process(frame: AudioFrame, speechProbability: number): Promise<WakeResult>;
  suppressUntil(streamMs: number): void;
  /** Embedding-model runs so far (what VAD gating saves shows here). */
  readonly embeddingRuns: number;
  stop(): Promise<void>;
}

/** The embedding model's streaming graph when its manifest lists one (and `graph` asks for it), else its window graph. */
export async function loadEmbedding(runtime: OnnxRuntime, modelsDir: string, id: string, graph: 'streaming' | 'window' = 'streaming'): Promise<ModelSession> {
  const manifest = readManifest(modelsDir, id);
  const { bytes, path } = readModelBytes(modelsDir, graph === 'streaming' && manifest.streaming ? { ...manifest, ...manifest.streaming } : manifest);
  return runtime.load(bytes, path);
}

/**
 * A second stage over the last `rows` mel frames ([1, rows, bins] -> score) that may veto a detection: the wake
 * features' own rows, or (with `other`) rows of other bands computed from the raw audio when it is asked.
 */
interface Verifier { readonly session: ModelSession; readonly rows: number; readonly bins: number; readonly threshold: number; readonly other?: FftMel }

/** The mel rows a verifier's manifest may ask for (`features`), besides the wake features' own ('mel32'). */
const VERIFIER_BANDS: Readonly<Record<string, MelBands>> = { 'mel40-8k': WIDE_MEL };
interface Classifier { readonly id: string; readonly session: ModelSession; readonly frames: number; readonly verifier?: Verifier }

class OpenWakeWord implements WakeEngine {
  readonly id = 'openwakeword';
  private readonly decider: WakeDecider;
  private quietFrames = Number.POSITIVE_INFINITY;

  constructor(readonly runtimeId: RuntimeId, private readonly features: WakeFeatures, private readonly classifiers: readonly Classifier[],
    private readonly sessions: readonly ModelSession[], private readonly options: WakeEngineOptions) {
    this.decider = new WakeDecider(options.words, options.warmupMs);
  }

  get embeddingRuns(): number {
    return this.features.embeddingRuns;
  }

  async process(frame: AudioFrame, speechProbability: number): Promise<WakeResult> {
    const gate = this.options.vadGateThreshold;
    this.quietFrames = gate > 0 && speechProbability < gate ? this.quietFrames + 1 : 0;
    const evaluate = this.quietFrames <= this.options.vadGateHangoverFrames;
    await this.features.push(frame.samples, evaluate);
    const scores = evaluate ? await this.classify() : new Map<string, number>();
    const verifierScores = new Map<string, number>();
    const from = this.options.traceVerifiersFrom;
    if (from !== undefined) {
      for (const c of this.classifiers) if (c.verifier && (scores.get(c.id) ?? 0) >= from) verifierScores.set(c.id, await this.verify(c.verifier));
    }
    const { events, vetoed } = await this.judge(this.decider.candidates(scores, frame.startMs + FRAME_MS), verifierScores);
    return { scores, events, vetoed, verifierScores, evaluated: evaluate };
  }

  /** Each word's classifier score on the last embeddings (0 until there are enough). */
  private async classify(): Promise<Map<string, number>> {
    const scores = new Map<string, number>();
    for (const c of this.classifiers) {
      const input = this.features.window(c.frames);
      if (!input) { scores.set(c.id, 0); continue; }
      const out = await c.session.run({ [c.session.inputNames[0]!]: { type: 'float32', data: input, dims: [1, c.frames, 96] } });
      scores.set(c.id, out[c.session.outputNames[0]!]!.data[0]!);
    }
    return scores;
  }

  /** Candidates fire unless their word's verifier vetoes them (its scores land in `verifierScores`). */
  private async judge(candidates: readonly WakeEvent[], verifierScores: Map<string, number>): Promise<{ events: WakeEvent[]; vetoed: WakeEvent[] }> {
    const events: WakeEvent[] = [];
    const vetoed: WakeEvent[] = [];
    for (const candidate of candidates) {
      const verifier = this.classifiers.find((c) => c.id === candidate.wakeWordId)?.verifier;
      let judged = candidate;
      if (verifier) {
        const v = verifierScores.get(candidate.wakeWordId) ?? await this.verify(verifier);
        verifierScores.set(candidate.wakeWordId, v);
        judged = { ...candidate, verifierScore: v };
        if (v < verifier.threshold) { vetoed.push(judged); continue; }
      }
      this.decider.fire(judged);
      events.push(judged);
    }
    return { events, vetoed };
  }

  /** The verifier's score on the last mel frames; 0 (a veto) when they are not all there yet. */
  private async verify(v: Verifier): Promise<number> {
    const input = v.other ? this.features.otherMelWindow(v.rows, v.other) : this.features.melWindow(v.rows);
    if (!input) return 0;
    const out = await v.session.run({ [v.session.inputNames[0]!]: { type: 'float32', data: input, dims: [1, v.rows, v.bins] } });
    return out[v.session.outputNames[0]!]!.data[0]!;
  }

  suppressUntil(streamMs: number): void {
    this.decider.suppressUntil(streamMs);
  }

  async stop(): Promise<void> {
    for (const s of this.sessions) await s.release().catch(() => undefined);
  }
}

async function createOpenWakeWord(options: WakeEngineOptions, log: Logger): Promise<WakeEngine> {
  if (options.words.length === 0) throw new HearthError('wake-no-words', 'config', 'wake.words is empty: name at least one wake word (see firmware-config/default-config.yaml).');
  const runtime = await loadRuntime(options.runtime, log, options.threads ?? 1);
  const melModel = options.melFrontEnd === 'onnx' ? await loadModel(runtime, options.modelsDir, 'openwakeword-melspectrogram') : undefined;
  const mel = melModel ? new OnnxMel(melModel) : new FftMel();
  const embeddingId = embeddingFor(options.embeddingModelId, runtime.id, options.modelsDir);
  if (embeddingId !== options.embeddingModelId) log.info({ model: embeddingId }, 'wake: this CPU has VNNI, using the int8-weight copy of the embedding (same numbers)');
  const embedding = await loadEmbedding(runtime, options.modelsDir, embeddingId, options.embeddingGraph);
  const classifiers: Classifier[] = [];
  for (const w of options.words) {
    const session = await loadModel(runtime, options.modelsDir, w.modelId);
    const frames = Number(readManifest(options.modelsDir, w.modelId).inputs[0]?.shape[1] ?? 16);
    classifiers.push({ id: w.id, session, frames, ...(w.verifierId ? { verifier: await loadVerifier(runtime, options.modelsDir, w.verifierId) } : {}) });
  }
  const keep = Math.max(...classifiers.map((c) => c.frames));
  const melRows = Math.max(0, ...classifiers.map((c) => c.verifier && !c.verifier.other ? c.verifier.rows : 0));
  const otherRows = Math.max(0, ...classifiers.map((c) => c.verifier?.other ? c.verifier.rows : 0));
  const sessions = [...(melModel ? [melModel] : []), embedding, ...classifiers.flatMap((c) => c.verifier ? [c.session, c.verifier.session] : [c.session])];
  return new OpenWakeWord(runtime.id, new WakeFeatures(mel, embedding, keep, melRows, otherRows), classifiers, sessions, options);
}

async function loadVerifier(runtime: OnnxRuntime, modelsDir: string, id: string): Promise<Verifier> {
  const manifest = readManifest(modelsDir, id);
  const where = `Verifier ${id}: its manifest (${modelsDir}/${id}/manifest.json)`;
  const features = manifest.features ?? 'mel32';
  const bands = Object.hasOwn(VERIFIER_BANDS, features) ? VERIFIER_BANDS[features] : undefined;
  if (features !== 'mel32' && !bands) {
    throw new HearthError('model-corrupt', 'environment', `${where} asks for features "${features}"; known: mel32, ${Object.keys(VERIFIER_BANDS).join(', ')}. Restore it from the repository.`, { modelId: id });
  }
  const bins = bands?.bins ?? MEL_BINS;
  const rows = Number(manifest.inputs[0]?.shape[1]);
  if (!(rows > 0) || manifest.inputs[0]?.shape[2] !== bins || manifest.threshold === undefined) {
    throw new HearthError('model-corrupt', 'environment', `${where} needs an input [1, rows, ${bins}] and a threshold. Restore it from the repository.`, { modelId: id });
  }
  return { session: await loadModel(runtime, modelsDir, id), rows, bins, threshold: manifest.threshold, ...(bands ? { other: new FftMel(bands) } : {}) };
}

/** Wake engines by config id. */
export const WAKE_ENGINES: Readonly<Record<string, (o: WakeEngineOptions, log: Logger) => Promise<WakeEngine>>> = {
  openwakeword: createOpenWakeWord,
};

export function createWakeEngine(id: string, options: WakeEngineOptions, log: Logger): Promise<WakeEngine> {
  const factory = WAKE_ENGINES[id];
  if (!factory) throw new HearthError('wake-engine-unknown', 'config', `wake.engine "${id}" is not known; known engines: ${Object.keys(WAKE_ENGINES).join(', ')}.`);
  return factory(options, log);
}
