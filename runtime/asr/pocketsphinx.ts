/**
 * pocketsphinx (Debian's libpocketsphinx and its US English acoustic model, trained on real voices)
 * through Hearth's N-API addon, decoding against the live home grammar. The decoder works on a
 * worker thread; utterances are decoded one at a time. Without the addon or the model the engine
 * refuses to start with the packages to install, and the rest of the hub runs on.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { HearthError } from '../types/errors.js';
import type { AudioFrame } from '../types/audio.js';
import { FRAME_MS } from '../types/audio.js';
import type { AsrEngine, AsrStream, HomeWords, Transcript } from './engine.js';
import { commandPart, fallbackPronunciation, garbageWords, grammarWords, homeGrammar } from './grammar.js';

interface NativeDecoder {
  setGrammar(name: string, jsgf: string): void;
  addWord(word: string, phones: string): number;
  lookupWord(word: string): string | null;
  start(): number;
  process(samples: Int16Array): Promise<string | null>;
  end(nbest?: number): { text: string | null; score: number; frames: number; nbest: { text: string; score: number }[] };
}

export interface PocketsphinxOptions {
  readonly hmm: string;
  readonly dict: string;
}

export const DEBIAN_MODEL: PocketsphinxOptions = { hmm: '/usr/share/pocketsphinx/model/en-us/en-us', dict: '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict' };
const INSTALL = 'apt-get install libpocketsphinx-dev pocketsphinx-en-us, then npm rebuild hearth-pocketsphinx-native';

function loadDecoder(o: PocketsphinxOptions): NativeDecoder {
  let mod: { Decoder?: new (o: PocketsphinxOptions) => NativeDecoder; loadError?: Error };
  try {
    mod = createRequire(import.meta.url)('hearth-pocketsphinx-native') as typeof mod;
  } catch (err) {
    throw new HearthError('asr-engine-missing', 'environment', `The pocketsphinx engine is not installed (${(err as Error).message}): ${INSTALL}.`, {}, err);
  }
  if (!mod.Decoder) throw new HearthError('asr-engine-missing', 'environment', `The pocketsphinx addon was not built (${mod.loadError?.message ?? 'unknown'}): ${INSTALL}.`);
  if (!existsSync(o.hmm) || !existsSync(o.dict)) throw new HearthError('asr-model-missing', 'environment', `The pocketsphinx model is missing (${o.hmm}, ${o.dict}): ${INSTALL}.`);
  return new mod.Decoder(o);
}

export class PocketsphinxEngine implements AsrEngine {
  readonly id = 'pocketsphinx';
  private readonly decoder: NativeDecoder;
  private busy: Promise<unknown> = Promise.resolve();
  private readonly known = new Set<string>();
  private garbage: ReadonlySet<string> = new Set();

  /**
   * `minScorePerFrame`: the confidence gate (acoustic log-likelihood per 10 ms frame) under which speech is
   * rejected as not a command; config `asr.pocketsphinxMinScorePerFrame`.
   */
  constructor(home: HomeWords, options: PocketsphinxOptions = DEBIAN_MODEL, private readonly minScorePerFrame = -45) {
    this.decoder = loadDecoder(options);
    this.setHome(home);
  }

  /** Rebuilds the grammar from the live registry; new words get a fallback pronunciation. */
  setHome(home: HomeWords): void {
    this.garbage = garbageWords(home);
    const jsgf = homeGrammar(home, [...this.garbage]);
    for (const w of grammarWords(jsgf)) {
      if (this.known.has(w)) continue;
      if (this.decoder.lookupWord(w) === null) this.decoder.addWord(w, fallbackPronunciation(w));
      this.known.add(w);
    }
    this.decoder.setGrammar('home', jsgf);
  }

  start(): AsrStream {
    const d = this.decoder;
    let frames = 0, processMs = 0, lastPushAt = 0;
    // One utterance at a time: a stream starts when the previous one has finished.
    const ready = this.busy.then(() => { d.start(); });
    let chain: Promise<unknown> = ready;
    const stream: AsrStream = {
      push: (frame: AudioFrame) => {
        const p = chain.then(async () => {
          const t0 = performance.now();
          const partial = await d.process(frame.samples);
          processMs += performance.now() - t0;
          frames++;
          lastPushAt = performance.now();
          return partial ?? undefined;
        });
        chain = p;
        return p;
      },
      finish: () => {
        const p = chain.then((): Transcript => {
          const t0 = performance.now();
          const r = d.end();
          processMs += performance.now() - t0;
          const audioMs = frames * FRAME_MS;
          // Confidence from the acoustic score per 10 ms frame: chatter forced through the grammar scores lower than a
          // command said as the grammar has it (measured on the asr-eval set: commands mostly above -40, chatter below).
          const perFrame = r.frames > 0 ? r.score / r.frames : -Infinity;
          const confidence = 1 / (1 + Math.exp(-(perFrame - this.minScorePerFrame) / 5));
          const command = r.text ? commandPart(r.text, this.garbage) : undefined;
          const rejected = command === undefined || perFrame < this.minScorePerFrame;
          const hypotheses = command ? [{ text: command, confidence: Math.round(confidence * 1000) / 1000 }] : [];
          return { hypotheses, engine: 'pocketsphinx', latencyMs: lastPushAt ? performance.now() - lastPushAt : 0, rejected,
            computeStats: { audioMs, processMs, realTimeFactor: audioMs > 0 ? processMs / audioMs : 0 } };
        });
        this.busy = p.catch(() => undefined);
        return p;
      },
    };
    return stream;
  }

  async stop(): Promise<void> {
    await this.busy;
  }
}
