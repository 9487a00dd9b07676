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
  /** `full`: the whole utterance at once (batch CMN over it). */
  process(samples: Int16Array, full?: boolean): Promise<string | null>;
  end(nbest?: number): { text: string | null; score: number; frames: number; nbest: { text: string; score: number }[] };
}

export interface PocketsphinxOptions {
  readonly hmm: string;
  readonly dict: string;
}

/** How the engine normalises and rejects (config asr.pocketsphinx*; chosen on the natural-speech set, docs/results/asr.md). */
export interface PocketsphinxSettings {
  /** Rejection gate: acoustic log-likelihood per 10 ms frame of the grammar path. */
  readonly minScorePerFrame: number;
  /**
   * Both start every utterance afresh, so the same clip gives the same text whatever came before. live: a running
   * mean from the model's prior (partials as the person speaks); utterance: the mean of the utterance itself, decoded
   * when it ends (no partials). On the natural-speech set both get 6 of 11 doable requests right; live accepts fewer
   * other clips as commands (2 of 52 against 4), so it is the default (docs/results/asr.md).
   */
  readonly cmn: 'utterance' | 'live';
}
export const POCKETSPHINX_DEFAULTS: PocketsphinxSettings = { minScorePerFrame: -50, cmn: 'live' };

export const DEBIAN_MODEL: PocketsphinxOptions = { hmm: '/usr/share/pocketsphinx/model/en-us/en-us', dict: '/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict' };
const INSTALL = 'apt-get install libpocketsphinx-dev pocketsphinx-en-us, then npm rebuild hearth-pocketsphinx-native';

function loadDecoder(o: PocketsphinxOptions & { cmn: 'batch' | 'live' }): NativeDecoder {
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

  constructor(home: HomeWords, options: PocketsphinxOptions = DEBIAN_MODEL, private readonly settings: PocketsphinxSettings = POCKETSPHINX_DEFAULTS) {
    this.decoder = loadDecoder({ ...options, cmn: settings.cmn === 'utterance' ? 'batch' : 'live' });
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
    const whole = this.settings.cmn === 'utterance';
    let frames = 0, processMs = 0, lastPushAt = 0;
    const held: Int16Array[] = [];
    // One utterance at a time: a stream starts when the previous one has finished.
    const ready = this.busy.then(() => { d.start(); });
    let chain: Promise<unknown> = ready;
    const decode = async (samples: Int16Array, full: boolean) => {
      const t0 = performance.now();
      const partial = await d.process(samples, full);
      processMs += performance.now() - t0;
      return partial ?? undefined;
    };
    const stream: AsrStream = {
      push: (frame: AudioFrame) => {
        frames++;
        lastPushAt = performance.now();
        if (whole) { held.push(frame.samples); return Promise.resolve(undefined); }
        const p = chain.then(() => decode(frame.samples, false));
        chain = p;
        return p;
      },
      finish: () => {
        const p = chain.then(async (): Promise<Transcript> => {
          if (whole) {
            const all = new Int16Array(held.reduce((n, x) => n + x.length, 0));
            let at = 0;
            for (const x of held) { all.set(x, at); at += x.length; }
            if (all.length > 0) await decode(all, true);
          }
          const t0 = performance.now();
          const r = d.end();
          processMs += performance.now() - t0;
          return this.transcript(r, frames * FRAME_MS, processMs, lastPushAt);
        });
        this.busy = p.catch(() => undefined);
        return p;
      },
    };
    return stream;
  }

  private transcript(r: ReturnType<NativeDecoder['end']>, audioMs: number, processMs: number, lastPushAt: number): Transcript {
    const s = this.settings;
    // The acoustic score per 10 ms frame: chatter forced through the grammar scores lower than a command said as the
    // grammar has it (measured on the asr-eval set: commands mostly above -40, chatter below).
    const perFrame = r.frames > 0 ? r.score / r.frames : -Infinity;
    const confidence = 1 / (1 + Math.exp(-(perFrame - s.minScorePerFrame) / 5));
    const command = r.text ? commandPart(r.text, this.garbage) : undefined;
    const rejected = command === undefined || perFrame < s.minScorePerFrame;
    const hypotheses = command ? [{ text: command, confidence: Math.round(confidence * 1000) / 1000 }] : [];
    return { hypotheses, engine: 'pocketsphinx', latencyMs: lastPushAt ? performance.now() - lastPushAt : 0, rejected,
      computeStats: { audioMs, processMs, realTimeFactor: audioMs > 0 ? processMs / audioMs : 0 } };
  }

  async stop(): Promise<void> {
    await this.busy;
  }
}
