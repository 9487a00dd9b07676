/**
 * A wake word confirmed by the ASR (wake.asrCheck). When the wake model fires, the ASR engine reads the audio the word
 * was said in (from just before the VAD's start of speech, 2 s at most: Listener.recentSpeech) and scores the word's
 * phrase against what it would write freely (the same confidence as a command's). Under the minimum it reads the word
 * once more from a start further back, and under it again the detection was a false wake: the utterance after it is not
 * acted on, and nothing is said. The check runs while the command is being said, so it costs no wait unless the command
 * is shorter than the check. Only an engine with an open-vocabulary pass (moonshine) can check; with another, or for a
 * word without a phrase (runtime/wake/phrases.ts), every detection stands.
 */
import type { Logger } from '../log.js';
import type { AsrEngine } from '../asr/engine.js';
import type { WakeEvent } from '../types/audio.js';
import { wakePhrase } from '../wake/phrases.js';

export interface WakeVerdict { readonly confidence: number; readonly confirmed: boolean }

/** Checks not claimed by an utterance are dropped beyond this many (a wake word while an utterance is open opens none). */
const MAX_PENDING = 8;
/**
 * Where the audio read starts, before the VAD's start of speech; the second read only when the first falls short.
 * Moonshine's verdict on a real wake word depends on where its audio starts: streamed at four alignments 20 ms apart,
 * the real wake words found were vetoed 2 times in 36 from 300 ms and never from either 300 or 620 ms (chosen there);
 * at four other alignments, 4 times with one read and once with both. No false wake got past either read
 * (docs/results/wake.md).
 */
export const CHECK_LEADS_MS = [300, 620] as const;

export class WakeCheck {
  private readonly pending = new Map<WakeEvent, Promise<number | undefined>>();

  constructor(private readonly engine: () => AsrEngine | undefined, private readonly settings: { readonly asrCheck: boolean; readonly asrCheckMinConfidence: number },
    private readonly log: Logger) {}

  /** A wake word fired; `speech(leadMs)`: the audio up to the frame it fired on, from `leadMs` before its speech began. */
  heard(e: WakeEvent, speech: (leadMs: number) => Int16Array): void {
    const asr = this.engine(), phrase = wakePhrase(e.wakeWordId);
    if (!this.settings.asrCheck || e.external || !asr?.confirmPhrase || !phrase) return;
    // Read now (the listener's ring moves on with the next frame); a read no longer than the one before adds nothing.
    const windows = CHECK_LEADS_MS.map((lead) => speech(lead)).filter((w, i, all) => i === 0 || w.length > all[i - 1]!.length);
    const confirm = asr.confirmPhrase.bind(asr);
    const check = async () => {
      let best = 0;
      for (const w of windows) {
        best = Math.max(best, await confirm(w, phrase));
        if (best >= this.settings.asrCheckMinConfidence) break;
      }
      return best;
    };
    // A check that fails leaves the detection standing: a broken check must not cost the command.
    const p = check().catch((err: Error) => {
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
