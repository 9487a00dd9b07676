/**
 * pocketsphinx (Debian's libpocketsphinx and its US English acoustic model, trained on real voices)
 * through Hearth's N-API addon, decoding against the live home grammar. The decoder works on a
 * worker thread, one decoder per utterance in flight (two satellites speaking at once each get one). Without the addon or the model the engine
 * refuses to start with the packages to install, and the rest of the hub runs on.
 */
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HearthError } from '../types/errors.js';
import type { AudioFrame } from '../types/audio.js';
import { FRAME_MS, SAMPLE_RATE_HZ } from '../types/audio.js';
import type { AsrEngine, AsrStream, HomeWords, StreamOptions, Transcript } from './engine.js';
import { commandPart, garbageWords, grammarWords, homeGrammar, WAKE_WORDS } from './grammar.js';
import { pronunciations, writeDict } from './pocketsphinx-dict.js';

interface NativeDecoder {
  setGrammar(name: string, jsgf: string): void;
  addWord(word: string, phones: string): number;
  lookupWord(word: string): string | null;
  start(): number;
  /** After start(): the live mean starts from these samples' mean cepstrum; false when the front end found no speech in them. */
  prime(samples: Int16Array): boolean;
  /** `full`: the whole utterance at once (batch CMN over it). */
  process(samples: Int16Array, full?: boolean): Promise<string | null>;
  end(nbest?: number): {
    text: string | null; score: number; frames: number; nbest: { text: string; score: number }[];
    /** The best path word by word, fillers (<sil>, (NULL)) included; frames are 10 ms. */
    words: { word: string; startFrame: number; endFrame: number; score: number }[];
  };
}

export interface PocketsphinxOptions {
  readonly hmm: string;
  readonly dict: string;
  /** The household's speaker adaptation (`hearth learn --voices`), if one is active: an MLLR matrix, or MAP-adapted means. */
  readonly mllr?: string;
  readonly mean?: string;
}

/** How the engine normalises and rejects (config asr.pocketsphinx*; chosen on the natural-speech set, docs/results/asr.md). */
export interface PocketsphinxSettings {
  /** Rejection gate: acoustic log-likelihood per 10 ms frame of the grammar path. */
  readonly minScorePerFrame: number;
  /**
   * Every mode starts each utterance afresh, so the same clip gives the same text whatever came before. head: a
   * running mean started from the mean of the utterance's own first HEAD_MS of speech, then decoded as it streams;
   * live: a running mean from the model's prior (partials from the first frame); utterance: the mean of the whole
   * utterance, decoded when it ends. Chosen on the natural-speech set (docs/results/asr.md): a noisy satellite
   * microphone is far from the model's prior, and live decodes its first words with the wrong mean.
   */
  readonly cmn: 'head' | 'utterance' | 'live';
}
export const POCKETSPHINX_DEFAULTS: PocketsphinxSettings = { minScorePerFrame: -50, cmn: 'head' };
/**
 * Audio held before decoding starts in `head` mode: long enough for a mean of the speaker's channel, short enough that
 * a decoder that starts late catches up before the person stops (it decodes at 5-10% of real time).
 */
export const HEAD_MS = 1500;

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

/**
 * A command follows the wake word: over a second of other words before it means the person was talking, and the
 * command-like end is part of that talk (on the natural-speech set: chatter 2.1 s before "is garage lamp on" and
 * "lamps off"; requests after a satellite's beep and noise 0.1-0.8 s; docs/results/asr.md).
 */
export const MAX_LEADING_CHATTER_MS = 1000;
const FILLER = /^(<sil>|<s>|<\/s>|\(NULL\)|\[\w+\])$/;

/** How long the garbage words before the first command word last (pauses and the wake word not counted). */
export function leadingChatterMs(words: readonly { word: string; startFrame: number; endFrame: number }[] | undefined, garbage: ReadonlySet<string>): number {
  let frames = 0;
  for (const w of words ?? []) {
    const word = w.word.replace(/\(\d+\)$/, '');
    if (FILLER.test(word) || WAKE_WORDS.has(word)) continue;
    if (!garbage.has(word)) break;
    frames += w.endFrame - w.startFrame + 1;
  }
  return frames * 10;
}

function concat(parts: readonly Int16Array[]): Int16Array {
  const all = new Int16Array(parts.reduce((n, x) => n + x.length, 0));
  let at = 0;
  for (const x of parts) { all.set(x, at); at += x.length; }
  return all;
}

/** Decoders at most: one per satellite speaking at once; a further utterance waits for one to be free. */
export const MAX_DECODERS = 4;

interface Slot { readonly decoder: NativeDecoder; grammarRevision: number; readonly known: Set<string> }

export class PocketsphinxEngine implements AsrEngine {
  readonly id = 'pocketsphinx';
  private readonly slots: Slot[] = [];
  private readonly free: Slot[] = [];
  private readonly waiting: ((s: Slot) => void)[] = [];
  private readonly inFlight = new Set<Promise<unknown>>();
  private garbage: ReadonlySet<string> = new Set();
  private jsgf = '';
  private grammarRevision = 0;
  private prons = new Map<string, string[]>();
  /** The grammar's words only (pocketsphinx-dict.ts), rewritten when the grammar changes; new decoders load it. */
  private readonly dictDir = mkdtempSync(join(tmpdir(), 'hearth-pocketsphinx-'));
  private readonly load: () => NativeDecoder;

  constructor(home: HomeWords, private readonly options: PocketsphinxOptions = DEBIAN_MODEL, private readonly settings: PocketsphinxSettings = POCKETSPHINX_DEFAULTS) {
    if (!existsSync(options.hmm) || !existsSync(options.dict)) {
      rmSync(this.dictDir, { recursive: true, force: true });
      throw new HearthError('asr-model-missing', 'environment', `The pocketsphinx model is missing (${options.hmm}, ${options.dict}): ${INSTALL}.`);
    }
    this.load = () => loadDecoder({ hmm: options.hmm, dict: join(this.dictDir, 'home.dict'), cmn: settings.cmn === 'utterance' ? 'batch' : 'live',
      ...(options.mllr ? { mllr: options.mllr } : {}), ...(options.mean ? { mean: options.mean } : {}) });
    try {
      this.setHome(home);
      this.free.push(this.newSlot()); // the first decoder now, so a missing addon is a start-up error
    } catch (err) {
      rmSync(this.dictDir, { recursive: true, force: true });
      throw err;
    }
  }

  /** Rebuilds the grammar from the live registry; each decoder takes it before its next utterance, never during one. */
  setHome(home: HomeWords): void {
    this.garbage = garbageWords(home);
    this.jsgf = homeGrammar(home, [...this.garbage]);
    this.prons = pronunciations(this.options.dict, grammarWords(this.jsgf));
    writeDict(join(this.dictDir, 'home.dict'), this.prons);
    this.grammarRevision++;
  }

  private newSlot(): Slot {
    const slot: Slot = { decoder: this.load(), grammarRevision: -1, known: new Set(this.prons.keys()) };
    this.slots.push(slot);
    return slot;
  }

  /** A decoder for one utterance: a free one, a new one (up to MAX_DECODERS: satellites speaking at once), or the next freed. */
  private acquire(): Promise<Slot> {
    const slot = this.free.pop() ?? (this.slots.length < MAX_DECODERS ? this.newSlot() : undefined);
    const ready = slot ? Promise.resolve(slot) : new Promise<Slot>((r) => this.waiting.push(r));
    return ready.then((s) => {
      if (s.grammarRevision !== this.grammarRevision) {
        // Words new since the decoder was loaded: the dictionary's pronunciation, or a letter-to-sound guess for a name it lacks.
        for (const [w, ps] of this.prons) {
          if (s.known.has(w)) continue;
          if (s.decoder.lookupWord(w) === null) s.decoder.addWord(w, ps[0]!);
          s.known.add(w);
        }
        s.decoder.setGrammar('home', this.jsgf);
        s.grammarRevision = this.grammarRevision;
      }
      s.decoder.start();
      return s;
    });
  }

  private release(s: Slot): void {
    const next = this.waiting.shift();
    if (next) next(s);
    else this.free.push(s);
  }

  start(options: StreamOptions = {}): AsrStream {
    const whole = this.settings.cmn === 'utterance';
    const head = this.settings.cmn === 'head';
    const garbage = this.garbage;
    let frames = 0, processMs = 0, lastPushAt = 0;
    let held: Int16Array[] = [];
    /** head mode: the held audio once it primes the mean (or at the end), then nothing is held. */
    const release = async (atEnd: boolean): Promise<string | undefined> => {
      const all = concat(held);
      const s = await slot;
      // The mean of the command's words: not the pre-roll (the wake word's end, cut mid-word), and the front end's own
      // speech detector leaves out silence and a satellite's beep. No words yet: wait for more.
      const lead = Math.min(Math.round(((options.prerollMs ?? 0) * SAMPLE_RATE_HZ) / 1000), all.length >> 1);
      if (!s.decoder.prime(all.subarray(lead)) && !atEnd) return undefined;
      held = [];
      return decode(all, false);
    };
    // One decoder per utterance, held until it finishes: two satellites speaking at once never share one.
    const slot = this.acquire();
    let chain: Promise<unknown> = slot;
    const decode = async (samples: Int16Array, full: boolean) => {
      const s = await slot;
      const t0 = performance.now();
      const partial = await s.decoder.process(samples, full);
      processMs += performance.now() - t0;
      return partial ?? undefined;
    };
    const stream: AsrStream = {
      push: (frame: AudioFrame) => {
        frames++;
        lastPushAt = performance.now();
        if (whole) { held.push(frame.samples); return Promise.resolve(undefined); }
        let p: Promise<string | undefined>;
        if (head && (held.length > 0 || frames === 1)) {
          held.push(frame.samples);
          // Try to prime at HEAD_MS, then every further half second of audio.
          const over = held.length - Math.ceil(HEAD_MS / FRAME_MS);
          p = over >= 0 && over % Math.round(500 / FRAME_MS) === 0 ? chain.then(() => release(false)) : Promise.resolve(undefined);
        } else p = chain.then(() => decode(frame.samples, false));
        chain = p.catch(() => undefined);
        return p;
      },
      finish: () => {
        const p = chain.then(async (): Promise<Transcript> => {
          const s = await slot;
          try {
            if (whole && held.length > 0) await decode(concat(held), true);
            if (head && held.length > 0) await release(true);
            const t0 = performance.now();
            const r = s.decoder.end();
            processMs += performance.now() - t0;
            return this.transcript(r, garbage, frames * FRAME_MS, processMs, lastPushAt);
          } finally { this.release(s); }
        });
        const settled = p.catch(() => undefined);
        this.inFlight.add(settled);
        void settled.finally(() => this.inFlight.delete(settled));
        return p;
      },
    };
    return stream;
  }

  private transcript(r: ReturnType<NativeDecoder['end']>, garbage: ReadonlySet<string>, audioMs: number, processMs: number, lastPushAt: number): Transcript {
    const s = this.settings;
    // The acoustic score per 10 ms frame: chatter forced through the grammar scores lower than a command said as the
    // grammar has it (measured on the asr-eval set: commands mostly above -40, chatter below).
    const perFrame = r.frames > 0 ? r.score / r.frames : -Infinity;
    const confidence = 1 / (1 + Math.exp(-(perFrame - s.minScorePerFrame) / 5));
    const command = r.text ? commandPart(r.text, garbage) : undefined;
    const rejected = command === undefined || perFrame < s.minScorePerFrame || leadingChatterMs(r.words, garbage) > MAX_LEADING_CHATTER_MS;
    const hypotheses = command ? [{ text: command, confidence: Math.round(confidence * 1000) / 1000 }] : [];
    return { hypotheses, engine: 'pocketsphinx', latencyMs: lastPushAt ? performance.now() - lastPushAt : 0, rejected,
      computeStats: { audioMs, processMs, realTimeFactor: audioMs > 0 ? processMs / audioMs : 0 } };
  }

  async stop(): Promise<void> {
    await Promise.all([...this.inFlight]);
    rmSync(this.dictDir, { recursive: true, force: true });
  }
}
