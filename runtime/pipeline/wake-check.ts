/**
 * A wake word confirmed by the ASR (wake.asrCheck). When the wake model fires, the ASR engine reads the audio the word
 * was said in (from the VAD's start of speech, 2 s at most: Listener.recentSpeech) and scores the word's phrase against
 * what it would write freely (the same confidence as a command's). Under the minimum the detection was a false wake:
 * the utterance after it is not acted on, and nothing is said. The check runs while the command is being said, so it
 * costs no wait unless the command is shorter than the check. Only an engine with an open-vocabulary pass (moonshine)
 * can check; with another, or for a word without a phrase (runtime/wake/phrases.ts), every detection stands.
 */
import type { Logger } from '../log.js';
import type { AsrEngine } from '../asr/engine.js';
import type { WakeEvent } from '../types/audio.js';
import { wakePhrase } from '../wake/phrases.js';

export interface WakeVerdict { readonly confidence: number; readonly confirmed: boolean }

/** Checks not claimed by an utterance are dropped beyond this many (a wake word while an utterance is open opens none). */
const MAX_PENDING = 8;

export class WakeCheck {
  private readonly pending = new Map<WakeEvent, Promise<number | undefined>>();

  constructor(private readonly engine: () => AsrEngine | undefined, private readonly settings: { readonly asrCheck: boolean; readonly asrCheckMinConfidence: number },
    private readonly log: Logger) {}

  /** A wake word fired; `samples`: the audio up to the frame it fired on. */
  heard(e: WakeEvent, samples: () => Int16Array): void {
    const asr = this.engine(), phrase = wakePhrase(e.wakeWordId);
    if (!this.settings.asrCheck || e.external || !asr?.confirmPhrase || !phrase) return;
    // A check that fails leaves the detection standing: a broken check must not cost the command.
    const p = asr.confirmPhrase(samples(), phrase).catch((err: Error) => {
      this.log.error({ code: 'wake-check-failed', wakeWord: e.wakeWordId }, `The ASR could not check the wake word (${err.message}); the detection stands.`);
      return undefined;
    });
    this.pending.set(e, p);
    if (this.pending.size > MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
  }

  /** The verdict on the wake word that opened an utterance; undefined when it was not checked. */
  async verdict(e: WakeEvent): Promise<WakeVerdict | undefined> {
    const p = this.pending.get(e);
    this.pending.delete(e);
    const confidence = await p;
    return confidence === undefined ? undefined : { confidence, confirmed: confidence >= this.settings.asrCheckMinConfidence };
  }
}
