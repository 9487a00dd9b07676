/**
 * The Moonshine engine: an open-vocabulary model trained on real people's speech (Moonshine tiny), held to the home's
 * grammar at decoding time. The encoder reads the utterance whole, so the audio is held and decoded when the listener's
 * VAD says the speech ended (kept if no speech follows), or at the end; partials are whole open decodes, once a second.
 * Two searches share the decoder steps: the open text and the grammar's n-best; their log-probability ratio per token
 * is the confidence, and under `minConfidence` the speech is rejected as not a command.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../log.js';
import { silentLogger } from '../../log.js';
import { HearthError } from '../../types/errors.js';
import { SAMPLE_RATE_HZ, type AudioFrame } from '../../types/audio.js';
import type { RuntimeId } from '../../models/onnx.js';
import { collectSoon } from '../../models/gc.js';
import type { AsrEngine, AsrStream, Hypothesis, HomeWords, Transcript } from '../engine.js';
import { commandPart, homeGrammar } from '../grammar.js';
import { ANY_WORD, WordGraph } from '../jsgf.js';
import { loadMoonshine, MOONSHINE_MODEL_ID, Utterance, type MoonshineModel } from './model.js';
import { grammarPaths, openPath, plainText } from './search.js';

export interface MoonshineOptions {
  readonly modelsDir: string;
  readonly runtime: 'auto' | RuntimeId;
  /** Under this confidence (grammar path vs open path, per token) speech is rejected as not a command. */
  readonly minConfidence: number;
  /** Grammar hypotheses kept per step (also the n-best). */
  readonly beam: number;
}

/** Pieces for `n` samples at most, 6 a second: a bound on a runaway decode (commands take about 2 a second). */
const maxTokens = (n: number) => Math.ceil((n / SAMPLE_RATE_HZ) * 6) + 4;
/** Utterances longer than this are cut (the model was trained on segments of up to ~30 s; commands are short). */
const MAX_SAMPLES = 20 * SAMPLE_RATE_HZ;
const NO_GARBAGE: ReadonlySet<string> = new Set();
/**
 * The beam of a phrase check (a wake word's audio: a second of speech, a few steps): with the commands' 2, flite's "hey
 * jarvis" found no path at all ("Page-armis" led the beam away); with 4 it scores 0.93 ("okay rhasspy" still none).
 * 8 found no more and cost the hub 6 MB more at its peak.
 */
const PHRASE_BEAM = 4;

interface Decoded { readonly hypotheses: Hypothesis[]; readonly openText: string; readonly processMs: number }

/**
 * The speculative decode starts this long after the VAD's speech end (the endpointer waits 700 ms): the model, cut
 * right at the VAD's end, wrote "I turn on the lamp" for the "turn on the lamp" it heard with a little silence after.
 */
const SPECULATE_AFTER_SAMPLES = 0.32 * SAMPLE_RATE_HZ;
/** A partial (the open text so far) after each further second of audio. */
const PARTIAL_EVERY_SAMPLES = SAMPLE_RATE_HZ;

export class MoonshineEngine implements AsrEngine {
  readonly id = 'moonshine';
  private readonly ready: Promise<MoonshineModel>;
  private graph!: WordGraph;

  constructor(home: HomeWords, private readonly options: MoonshineOptions, log: Logger = silentLogger) {
    const dir = join(options.modelsDir, MOONSHINE_MODEL_ID);
    if (!existsSync(join(dir, 'manifest.json'))) {
      throw new HearthError('model-missing', 'environment', `The Moonshine ASR model is missing (${dir}). Restore models/ from the repository, or set asr.engine to pocketsphinx.`, { path: dir });
    }
    this.ready = loadMoonshine(options.modelsDir, options.runtime, log);
    this.ready.catch(() => undefined); // reported on the first utterance, by name
    this.setHome(home);
  }

  /**
   * The commands alone, with no garbage loop: speech outside them is told by the open path's score, not by a loop of
   * everyday words (which would also take words such as "and" and "weather" from the commands). Open slots (a list
   * item, a name to be taught) are words the model wrote.
   */
  setHome(home: HomeWords): void {
    this.graph = new WordGraph(homeGrammar(home, [], true, true));
  }

  private readonly phraseGraphs = new Map<string, WordGraph>();

  async confirmPhrase(samples: Int16Array, phrase: string): Promise<number> {
    let graph = this.phraseGraphs.get(phrase);
    if (!graph) {
      graph = new WordGraph(`#JSGF V1.0;\ngrammar phrase;\npublic <utterance> = [<any>] (${phrase}) [<any>];\n<any> = ${ANY_WORD} [${ANY_WORD}] [${ANY_WORD}];`);
      this.phraseGraphs.set(phrase, graph);
    }
    const d = await this.score([samples], samples.length, graph, PHRASE_BEAM);
    return d.hypotheses[0]?.confidence ?? 0;
  }

  /** The whole decode of the first `n` samples: the open text and the grammar's hypotheses with their confidence. */
  private async decode(held: readonly Int16Array[], n: number, graph: WordGraph): Promise<Decoded> {
    const d = await this.score(held, n, graph);
    const hypotheses: Hypothesis[] = [];
    for (const p of d.hypotheses) {
      const text = commandPart(p.text, NO_GARBAGE);
      if (text && !hypotheses.some((h) => h.text === text)) hypotheses.push({ text, confidence: p.confidence });
    }
    return { ...d, hypotheses };
  }

  /** The grammar's paths, best first, each with its confidence: per token of the open text, P(path) / P(open text). */
  private async score(held: readonly Int16Array[], n: number, graph: WordGraph, beam = this.options.beam): Promise<Decoded> {
    const model = await this.ready;
    const t0 = performance.now();
    const u = await Utterance.encode(model, toFloat(held, n));
    const open = await openPath(u, model.pieces, maxTokens(n));
    const paths = await grammarPaths(u, model.pieces, graph.start(), beam, maxTokens(n));
    // A geometric mean, so long and short utterances compare; 1 when the grammar path is the open one.
    const hypotheses = paths.map((p) => ({ text: p.text, confidence: Math.round(Math.min(1, Math.exp((p.logProb - open.logProb) / Math.max(1, open.tokens.length + 1))) * 1000) / 1000 }));
    collectSoon(); // the decoder steps left tens of MB of output buffers (models/gc.ts)
    return { hypotheses, openText: open.text, processMs: performance.now() - t0 };
  }

  start(): AsrStream {
    const graph = this.graph;
    const held: Int16Array[] = [];
    let samples = 0, lastPushAt = 0, partialAt = 0, partial: string | undefined, finished = false, partialQueued = false;
    let busy: Promise<unknown> | undefined;
    // Speculation: when the listener's VAD says the speech ended, decode what was said while the endpointer waits out
    // its trailing silence; when no speech came after, that decode is the final one (the silence adds no words).
    let speculation: Promise<Decoded> | undefined, quietSince: number | undefined;
    const run = <T>(task: () => Promise<T>): Promise<T> => {
      const p = (busy ?? Promise.resolve()).then(task);
      const settled = p.catch(() => undefined);
      busy = settled;
      void settled.finally(() => { if (busy === settled) busy = undefined; });
      return p;
    };
    return {
      push: (frame: AudioFrame) => {
        if (samples >= MAX_SAMPLES) return Promise.resolve(partial);
        held.push(frame.samples);
        samples += frame.samples.length;
        lastPushAt = performance.now();
        if (quietSince !== undefined && !speculation && samples - quietSince >= SPECULATE_AFTER_SAMPLES) {
          const n = samples;
          speculation = run(() => this.decode(held, n, graph));
          speculation.catch(() => undefined);
        }
        if (!partialQueued && !speculation && samples - partialAt >= PARTIAL_EVERY_SAMPLES) {
          // The open text so far, at most once a second and one at a time: the model reads the utterance whole, so a
          // partial is a whole decode of what has been said.
          partialAt = samples;
          partialQueued = true;
          const n = samples;
          return run(async () => {
            partialQueued = false;
            const model = await this.ready;
            const u = await Utterance.encode(model, toFloat(held, n));
            const text = plainText((await openPath(u, model.pieces, maxTokens(n))).text);
            collectSoon();
            if (!finished && text) partial = text;
            return partial;
          }).catch(() => partial); // this frame's promise carries the new partial; the others answer at once
        }
        return Promise.resolve(partial);
      },
      speech: (active: boolean) => {
        speculation = undefined;
        quietSince = active || samples === 0 ? undefined : samples;
      },
      finish: async (): Promise<Transcript> => {
        finished = true;
        const audioMs = (samples / SAMPLE_RATE_HZ) * 1000;
        if (samples === 0) return { hypotheses: [], engine: this.id, rejected: true, latencyMs: 0, computeStats: { audioMs: 0, processMs: 0, realTimeFactor: 0 } };
        const d = await (speculation ?? run(() => this.decode(held, samples, graph)));
        return {
          hypotheses: d.hypotheses, engine: this.id, rejected: (d.hypotheses[0]?.confidence ?? 0) < this.options.minConfidence,
          latencyMs: lastPushAt ? performance.now() - lastPushAt : 0, openText: d.openText,
          computeStats: { audioMs, processMs: d.processMs, realTimeFactor: audioMs > 0 ? d.processMs / audioMs : 0 },
        };
      },
    };
  }

  async stop(): Promise<void> {
    const m = await this.ready.catch(() => undefined);
    if (m) { await m.encoder.release(); await m.decoder.release(); }
  }
}

/** The utterance as floats, its DC offset removed (a satellite's ADC offset otherwise reads as sound). */
function toFloat(parts: readonly Int16Array[], n: number): Float32Array {
  const out = new Float32Array(n);
  let at = 0, sum = 0;
  for (const p of parts) for (let i = 0; i < p.length && at < n; i++) { out[at++] = p[i]! / 32768; sum += p[i]!; }
  const mean = sum / 32768 / Math.max(1, n);
  for (let i = 0; i < n; i++) out[i]! -= mean;
  return out;
}

