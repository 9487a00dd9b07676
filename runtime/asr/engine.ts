/**
 * The ASR stage: one interface, engines by id (config `asr.engine`). A stream takes the utterance's
 * frames as they arrive (partials while the person speaks) and finishes with an n-best, the
 * latency after the last frame, and what the decoding cost.
 */
import type { AudioFrame } from '../types/audio.js';

export interface Hypothesis {
  readonly text: string;
  /** 0..1; engines without a calibrated confidence derive one from their scores. */
  readonly confidence: number;
}

export interface Transcript {
  /** Best first; empty when nothing was recognised. */
  readonly hypotheses: readonly Hypothesis[];
  readonly engine: string;
  /** From the last frame to the final result, ms. */
  readonly latencyMs: number;
  readonly computeStats: { readonly audioMs: number; readonly processMs: number; readonly realTimeFactor: number; readonly skippedShare?: number };
  /** True when the engine judged the speech not to be a command (out of grammar). */
  readonly rejected: boolean;
  /** What an open-vocabulary engine heard before the grammar held it (for the log and `hearth transcribe`). */
  readonly openText?: string;
}

export interface AsrStream {
  /** One frame; resolves with the partial hypothesis so far (undefined when none yet). */
  push(frame: AudioFrame): Promise<string | undefined>;
  /**
   * The listener's VAD: speech stopped (false) or started again (true) at the frames pushed so far. An engine that
   * decodes the utterance whole may start its final decode at a stop and keep it when no speech follows.
   */
  speech?(active: boolean): void;
  finish(): Promise<Transcript>;
}

/** Words and phrases of the home the grammar is built from (device names, areas...). */
export interface HomeWords {
  readonly names: readonly string[];
  readonly areas: readonly string[];
  /**
   * The kinds of device the home has (Home Assistant domains, and `sensor:<device_class>` for what its sensors
   * measure): the grammar says "the tv" or "the humidity" only in a home with one. Absent: every kind.
   */
  readonly kinds?: readonly string[];
  /**
   * Each named device's kind: the grammar lets a verb take only the names it fits ("lock" the locks, "activate" the
   * scenes). A name in `names` with no entry here is offered to every verb.
   */
  readonly devices?: readonly { readonly name: string; readonly aliases?: readonly string[]; readonly domain: string; readonly deviceClass?: string }[];
  /** The household's own sentences (custom sentences), as JSGF alternatives: what can be understood can be heard. */
  readonly customPhrases?: readonly string[];
}

export interface StreamOptions {
  /** The utterance's first ms are the pre-roll before the wake word fired: the end of the wake word, not the command. */
  readonly prerollMs?: number;
}

export interface AsrEngine {
  readonly id: string;
  /** A new utterance; engines decode one at a time (the hub has one conversation per stream). */
  start(options?: StreamOptions): AsrStream;
  /** The home changed: engines with a grammar rebuild it. */
  setHome(words: HomeWords): void;
  /**
   * How sure the engine is that `samples` say `phrase` (JSGF; `<any>` is an open slot), words before or after it
   * allowed, 0..1. Only engines with an open-vocabulary pass to compare against have it (wake.asrCheck).
   */
  confirmPhrase?(samples: Int16Array, phrase: string): Promise<number>;
  stop(): Promise<void>;
}
