/**
 * Hearth's own ASR engine: the compute-amortized streaming Transformer (encoder.ts) with two CTC
 * beams side by side, one held to the live home grammar (the same JSGF pocketsphinx decodes with)
 * and one open. The grammar beam gives the n-best; the open beam says how much the grammar had to
 * bend the audio: a command scores close to the open beam, chatter forced into the grammar scores far
 * below it. That ratio is the confidence, and under `minConfidence` the speech is rejected.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import { silentLogger } from '../../log.js';
import { HearthError } from '../../types/errors.js';
import { FRAME_MS, type AudioFrame } from '../../types/audio.js';
import { readManifest, readModelBytes, type ModelManifest } from '../../models/manifest.js';
import { loadRuntime, type OnnxRuntime, type RuntimeId } from '../../models/onnx.js';
import { CtcBeamSearch } from '../ctc.js';
import type { AsrEngine, AsrStream, Hypothesis, HomeWords, Transcript } from '../engine.js';
import { commandPart, garbageWords, homeGrammar } from '../grammar.js';
import { WordGraph } from '../jsgf.js';
import { AmortizedEncoder, type AmortizedGraphs, type AmortizedSpec } from './encoder.js';
import { arbitratorFromOnnx } from './arbiter.js';

export const AMORTIZED_MODEL_ID = 'asr-amortized';
/** Silence before each utterance: 0.3 s at 16 kHz. */
const LEAD_SAMPLES = 4800;

export interface AmortizedOptions {
  readonly modelsDir: string;
  readonly runtime: 'auto' | RuntimeId;
  /** Arbitrator threshold; 0 runs every block (the reference for the compute/accuracy trade). undefined = the model's. */
  readonly threshold?: number;
  /** Under this confidence (grammar beam vs open beam) speech is rejected as not a command. */
  readonly minConfidence: number;
  readonly beam: number;
  /** The household's adaptation (`hearth learn --voices`): graphs by file name (frontend.onnx, head.onnx) that replace the shipped ones. */
  readonly adapted?: Readonly<Record<string, string>>;
}

async function loadGraphs(runtime: OnnxRuntime, modelsDir: string, manifest: ModelManifest, spec: AmortizedSpec, adapted: Readonly<Record<string, string>> = {}): Promise<AmortizedGraphs> {
  const part = async (file: string) => {
    const own = adapted[file];
    if (own) return runtime.load(readModelFile(own), own);
    const p = manifest.parts?.find((x) => x.file === file);
    if (!p) throw new HearthError('model-corrupt', 'environment', `${join(modelsDir, manifest.id, 'manifest.json')} does not list ${file}. Restore models/ from the repository.`);
    const { bytes, path } = readModelBytes(modelsDir, { ...manifest, ...p });
    return runtime.load(bytes, path);
  };
  const idx = Array.from({ length: spec.blocks }, (_, i) => i);
  const arbiter = (file: string) => {
    const p = manifest.parts?.find((x) => x.file === file);
    if (!p) throw new HearthError('model-corrupt', 'environment', `${join(modelsDir, manifest.id, 'manifest.json')} does not list ${file}. Restore models/ from the repository.`);
    const { bytes, path } = readModelBytes(modelsDir, { ...manifest, ...p });
    return arbitratorFromOnnx(bytes, spec.dModel, path);
  };
  return {
    frontend: await part('frontend.onnx'),
    arbiters: idx.map((i) => arbiter(`arbiter-${i}.onnx`)),
    blocks: await Promise.all(idx.map((i) => part(`block-${i}.onnx`))),
    head: await part('head.onnx'),
  };
}

function readModelFile(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new HearthError('model-missing', 'environment', `The household's adapted graph ${path} cannot be read (${(err as Error).message}); hearth learn --voices --rollback goes back to the shipped model.`, { path }, err);
  }
}

/** The model's spec and its graphs, checked against the manifest (for the engine and for tools and tests). */
export async function loadAmortizedModel(modelsDir: string, runtime: 'auto' | RuntimeId, log: Logger = silentLogger): Promise<{ spec: AmortizedSpec; graphs: AmortizedGraphs }> {
  const { manifest, spec } = readSpec(modelsDir);
  const rt = await loadRuntime(runtime, log);
  return { spec, graphs: await loadGraphs(rt, modelsDir, manifest, spec) };
}

/** The manifest and model.json (checked against it): read once, at start-up. */
function readSpec(modelsDir: string): { manifest: ModelManifest; spec: AmortizedSpec } {
  const manifest = readManifest(modelsDir, AMORTIZED_MODEL_ID);
  const { bytes } = readModelBytes(modelsDir, manifest);
  return { manifest, spec: JSON.parse(Buffer.from(bytes).toString('utf8')) as AmortizedSpec };
}

export class AmortizedEngine implements AsrEngine {
  readonly id = 'amortized';
  private readonly spec: AmortizedSpec;
  private readonly ready: Promise<AmortizedGraphs>;
  private graph!: WordGraph;
  private garbage: ReadonlySet<string> = new Set();

  constructor(home: HomeWords, private readonly options: AmortizedOptions, log: Logger = silentLogger) {
    const dir = join(options.modelsDir, AMORTIZED_MODEL_ID);
    if (!existsSync(join(dir, 'manifest.json'))) {
      throw new HearthError('model-missing', 'environment', `The amortized ASR model is missing (${dir}). Restore models/ from the repository, or set asr.engine to pocketsphinx.`, { path: dir });
    }
    const { manifest, spec } = readSpec(options.modelsDir); // a missing or corrupt model.json fails here, by name
    this.spec = spec;
    this.ready = loadRuntime(options.runtime, log).then((rt) => loadGraphs(rt, options.modelsDir, manifest, spec, options.adapted));
    this.ready.catch(() => undefined); // reported on the first utterance, by name
    this.setHome(home);
  }

  setHome(home: HomeWords): void {
    this.garbage = garbageWords(home);
    this.graph = new WordGraph(homeGrammar(home, [...this.garbage]));
  }

  start(): AsrStream {
    const graph = this.graph, garbage = this.garbage;
    const grammarBeam = new CtcBeamSearch(this.spec.alphabet, this.options.beam, graph.start());
    const openBeam = new CtcBeamSearch(this.spec.alphabet, this.options.beam);
    const encoder = this.ready.then((g) => new AmortizedEncoder(this.spec, g, this.options.threshold ?? this.spec.threshold));
    let outFrames = 0;
    const decode = (posteriors: Float32Array[]) => {
      for (const p of posteriors) { grammarBeam.step(p); openBeam.step(p); outFrames++; }
    };
    // Every training utterance began with silence (0.1-0.6 s); audio that starts mid-word (a clip cut at its first
    // sample) confuses the model, so each stream starts with LEAD_SAMPLES of silence. In the hub the pre-roll
    // already gives it some; this makes the engine independent of how the audio was cut.
    let chain: Promise<unknown> = encoder.then(async (e) => decode(await e.push(new Int16Array(LEAD_SAMPLES))));
    let frames = 0, processMs = 0, lastPushAt = 0;
    return {
      push: (frame: AudioFrame) => {
        const p = chain.then(async () => {
          const t0 = performance.now();
          decode(await (await encoder).push(frame.samples));
          processMs += performance.now() - t0;
          frames++;
          lastPushAt = performance.now();
          return grammarBeam.best() || undefined;
        });
        chain = p;
        return p;
      },
      finish: () => chain.then(async (): Promise<Transcript> => {
        const t0 = performance.now();
        const enc = await encoder;
        decode(await enc.flush());
        const open = openBeam.finish()[0]?.logProb ?? -Infinity;
        const hypotheses: Hypothesis[] = [];
        for (const h of grammarBeam.finish()) {
          const text = commandPart(h.text, garbage);
          if (!text || hypotheses.some((x) => x.text === text)) continue;
          // P(grammar path) / P(best open path), per output frame (a geometric mean, so long and short
          // utterances compare): 1 when the grammar did not have to bend the audio at all.
          const confidence = Math.min(1, Math.exp((h.logProb - open) / Math.max(1, outFrames)));
          hypotheses.push({ text, confidence: Math.round(confidence * 1000) / 1000 });
        }
        processMs += performance.now() - t0;
        const audioMs = frames * FRAME_MS;
        const rejected = (hypotheses[0]?.confidence ?? 0) < this.options.minConfidence;
        return {
          hypotheses, engine: this.id, rejected, latencyMs: lastPushAt ? performance.now() - lastPushAt : 0,
          computeStats: { audioMs, processMs, realTimeFactor: audioMs > 0 ? processMs / audioMs : 0, skippedShare: enc.blocksTotal ? 1 - enc.blocksRun / enc.blocksTotal : 0 },
        };
      }),
    };
  }

  async stop(): Promise<void> {
    const g = await this.ready.catch(() => undefined);
    if (g) for (const s of [g.frontend, g.head, ...g.blocks]) await s.release();
  }
}
