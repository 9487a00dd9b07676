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
import { commandPart, fallbackPronunciation, GARBAGE, grammarWords, homeGrammar } from './grammar.js';

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

  constructor(home: HomeWords, options: PocketsphinxOptions = DEBIAN_MODEL) {
    this.decoder = loadDecoder(options);
    this.setHome(home);
  }

  /** Rebuilds the grammar from the live registry; new words get a fallback pronunciation. */
  setHome(home: HomeWords): void {
    const jsgf = homeGrammar(home);
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
          const seen = new Set<string>();
          const nbest = [r.text, ...r.nbest.map((n) => n.text)].filter((t): t is string => !!t && !seen.has(t) && (seen.add(t), true));
          const best = r.nbest[0]?.score ?? r.score;
          // Confidence from the score gap to the next different hypothesis (log-likelihood units): pocketsphinx's own
          // posterior is 1 for every grammar path, so it says nothing.
          const second = r.nbest.find((n) => n.text && n.text !== nbest[0])?.score;
          const commands = nbest.map((t) => commandPart(t, GARBAGE_ONLY)).filter((t): t is string => t !== undefined);
          const hypotheses = [...new Set(commands)].map((text, i) => ({ text, confidence: i > 0 ? 0 : second === undefined ? 1 : 1 / (1 + Math.exp(-(best - second) / 1000)) }));
          const rejected = hypotheses.length === 0;
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

/** The garbage loop's words: none of them is used by a command. */
const GARBAGE_ONLY: ReadonlySet<string> = new Set(GARBAGE);
