/** Audio as every stage after capture sees it: 16 kHz mono int16 in frames of 1280 samples (80 ms). */

export const SAMPLE_RATE_HZ = 16000;
export const FRAME_SAMPLES = 1280;
export const FRAME_MS = 80;

export interface AudioFrame {
  /** Exactly FRAME_SAMPLES samples, 16 kHz mono, signed 16-bit. */
  readonly samples: Int16Array;
  /** Stream time of the first sample, in ms since the source started. */
  readonly startMs: number;
}

export interface WakeEvent {
  /** Id of the wake-word model, e.g. `hey_jarvis`. */
  readonly wakeWordId: string;
  /** The classifier's score for the frame that fired, 0..1. */
  readonly score: number;
  /** Stream time (ms) at the end of the frame that fired. */
  readonly atMs: number;
  /** Heard elsewhere (a satellite's own detector, Wyoming's run-pipeline): no audio here to confirm it by. */
  readonly external?: boolean;
  /** The word's verifier's score (a second stage over mel frames) when it has one, 0..1. */
  readonly verifierScore?: number;
}

export interface VadSegment {
  /** Stream time (ms) of the first frame judged speech. */
  readonly startMs: number;
  /** Stream time (ms) at the end of the last speech frame. */
  readonly endMs: number;
}

export type UtteranceEnd = 'silence' | 'max-length' | 'no-speech' | 'stream-end';

export interface Utterance {
  /** The wake event that opened it. */
  readonly wake: WakeEvent;
  /** Frames from the pre-roll before the wake event up to the end point. */
  readonly frames: readonly AudioFrame[];
  readonly startMs: number;
  readonly endMs: number;
  readonly endReason: UtteranceEnd;
}
