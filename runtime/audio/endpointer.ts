/**
 * Cuts the utterance after a wake word: it opens at the wake event with the pre-roll frames before
 * it (people run "hey jarvis turn on..." together, and detection fires a little after the wake word
 * ends, so the first command word is already in the ring), and closes after enough trailing silence
 * once speech was heard, at the maximum length, or when no speech follows the wake word at all.
 * Only speech after the wake word counts: the speech still going on when the word fires is the word's
 * own tail (the VAD lags it by a frame or two) unless it goes on past WAKE_TAIL_MS, which is a command
 * run into the word. So a pause after the wake word waits for the command (up to noSpeechMs) instead
 * of closing on silence before it begins.
 * Pure: frames and speech probabilities in, decisions out; no models, no clocks.
 */
import { FRAME_MS, type AudioFrame, type Utterance, type UtteranceEnd, type WakeEvent } from '../types/audio.js';

export interface EndpointerSettings {
  readonly prerollMs: number;
  readonly trailingSilenceMs: number;
  readonly maxUtteranceMs: number;
  /** Without speech this long after the wake word, the utterance ends as `no-speech`. */
  readonly noSpeechMs: number;
  /** Speech probability at or over which a frame counts as speech. */
  readonly speechThreshold: number;
}

/**
 * Speech that runs on from the wake word for longer than this after the word fired is a command said without a pause;
 * shorter, it is the word's own tail: Silero's probability trails the end of speech by up to about 440 ms on the
 * natural-speech recordings (hey_jarvis_pmw2: the word ends 120 ms before it fires, the VAD 320 ms after). A short
 * command run into the word ("hey jarvis stop") then ends at noSpeechMs instead of after the trailing silence.
 */
export const WAKE_TAIL_MS = 480;

interface Open {
  wake: WakeEvent; frames: AudioFrame[]; speechSeen: boolean; silentMs: number; openedMs: number;
  /** ms of the speech run the wake word fired in, since it fired; undefined once that run has ended. */
  wakeRunMs: number | undefined;
}

export type EndpointerEvent =
  /** An utterance opened: its pre-roll frames come first, then one `utterance-frame` per frame as it arrives. */
  | { readonly kind: 'utterance-start'; readonly wake: WakeEvent; readonly preroll: readonly AudioFrame[] }
  | { readonly kind: 'utterance-frame'; readonly frame: AudioFrame }
  | { readonly kind: 'speech-start'; readonly atMs: number }
  | { readonly kind: 'speech-end'; readonly atMs: number }
  | { readonly kind: 'utterance'; readonly utterance: Utterance };

/**
 * How far before the firing frame's end an utterance starts: the pre-roll in whole frames (the ring keeps the frames
 * that end after `atMs - prerollMs`), the firing frame included, so 300 ms reaches back 320 and 0 ms one frame.
 */
export function prerollReachMs(prerollMs: number): number {
  return FRAME_MS * Math.max(1, Math.ceil(prerollMs / FRAME_MS));
}

export class Endpointer {
  private readonly ring: AudioFrame[] = [];
  private open: Open | undefined;
  private inSpeech = false;

  constructor(private readonly settings: EndpointerSettings) {}

  get listening(): boolean {
    return this.open !== undefined;
  }

  /** Opens an utterance at a wake event (ignored while one is open); call before `push` of the frame that fired. */
  wake(event: WakeEvent): EndpointerEvent[] {
    if (this.open) return [];
    const firstMs = event.atMs - this.settings.prerollMs;
    const frames = this.ring.filter((f) => f.startMs + FRAME_MS > firstMs);
    this.open = { wake: event, frames, speechSeen: false, silentMs: 0, openedMs: event.atMs, wakeRunMs: this.inSpeech ? 0 : undefined };
    return [{ kind: 'utterance-start', wake: event, preroll: [...frames] }];
  }

  /** One frame and its speech probability; returns what happened at this frame. */
  push(frame: AudioFrame, speechProbability: number): EndpointerEvent[] {
    const events: EndpointerEvent[] = [];
    const speech = speechProbability >= this.settings.speechThreshold;
    const endMs = frame.startMs + FRAME_MS;
    if (speech !== this.inSpeech) {
      this.inSpeech = speech;
      events.push(speech ? { kind: 'speech-start', atMs: frame.startMs } : { kind: 'speech-end', atMs: frame.startMs });
    }
    this.ring.push(frame);
    while (this.ring.length > Math.ceil(this.settings.prerollMs / FRAME_MS) + 1) this.ring.shift();
    const u = this.open;
    if (!u) return events;
    u.frames.push(frame);
    events.push({ kind: 'utterance-frame', frame });
    // The frame the wake word fired in is the wake word's own tail: speech counts only after it.
    if (endMs <= u.openedMs) return events;
    if (speech && u.wakeRunMs !== undefined) {
      u.wakeRunMs += FRAME_MS; // still the run the word fired in: a command only once it outlasts the word's tail
      if (u.wakeRunMs > WAKE_TAIL_MS) { u.speechSeen = true; u.silentMs = 0; }
    } else if (speech) { u.speechSeen = true; u.silentMs = 0; } else {
      u.wakeRunMs = undefined;
      if (u.speechSeen) u.silentMs += FRAME_MS;
    }
    const sinceWake = endMs - u.openedMs;
    let end: UtteranceEnd | undefined;
    if (u.speechSeen && u.silentMs >= this.settings.trailingSilenceMs) end = 'silence';
    else if (!u.speechSeen && sinceWake >= this.settings.noSpeechMs) end = 'no-speech';
    else if (sinceWake >= this.settings.maxUtteranceMs) end = 'max-length';
    if (end) events.push({ kind: 'utterance', utterance: this.close(end) });
    return events;
  }

  /** Ends an open utterance when the stream ends. */
  finish(): EndpointerEvent[] {
    return this.open ? [{ kind: 'utterance', utterance: this.close('stream-end') }] : [];
  }

  private close(reason: UtteranceEnd): Utterance {
    const u = this.open!;
    this.open = undefined;
    const first = u.frames[0];
    const last = u.frames.at(-1);
    return { wake: u.wake, frames: u.frames, startMs: first?.startMs ?? u.openedMs, endMs: last ? last.startMs + FRAME_MS : u.openedMs, endReason: reason };
  }
}
