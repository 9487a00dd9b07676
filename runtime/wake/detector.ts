/**
 * Turns per-frame classifier scores into wake events: a word is a candidate after `patience`
 * consecutive frames at or over its threshold; once it fires it stays quiet for its refractory period. Scores are ignored
 * for the first `warmupMs` after a start or reset (openWakeWord's initial buffers cause false
 * activations) and while the hub itself is speaking (its own voice must not wake it).
 */
import type { WakeEvent } from '../types/audio.js';

export interface WakeWordSettings {
  readonly id: string;
  readonly threshold: number;
  /** Consecutive frames at or over the threshold before it fires. */
  readonly patienceFrames: number;
  readonly refractoryMs: number;
}

export class WakeDecider {
  private readonly over = new Map<string, number>();
  private readonly quietUntilMs = new Map<string, number>();
  private speakingUntilMs = -1;
  private startMs = 0;

  constructor(private readonly words: readonly WakeWordSettings[], private readonly warmupMs: number) {}

  reset(atMs: number): void {
    this.startMs = atMs;
    this.over.clear();
    this.quietUntilMs.clear();
  }

  /** The hub is speaking until `untilMs` (stream time): no detections before then. Replaces the last call (a reply that ended early ends it). */
  suppressUntil(untilMs: number): void {
    this.speakingUntilMs = untilMs;
  }

  /**
   * Scores for the frame ending at `endMs`: the words whose patience is met, not yet fired (fire() each
   * one that does). Two steps so that a second stage (a verifier) can veto one: a vetoed word stays a
   * candidate on the next frame while its score holds, and is judged again.
   */
  candidates(scores: ReadonlyMap<string, number>, endMs: number): WakeEvent[] {
    const events: WakeEvent[] = [];
    const muted = endMs - this.startMs < this.warmupMs || endMs <= this.speakingUntilMs;
    for (const w of this.words) {
      const score = scores.get(w.id) ?? 0;
      if (muted || score < w.threshold || endMs < (this.quietUntilMs.get(w.id) ?? -1)) {
        this.over.set(w.id, 0);
        continue;
      }
      const n = (this.over.get(w.id) ?? 0) + 1;
      this.over.set(w.id, n);
      if (n >= w.patienceFrames) events.push({ wakeWordId: w.id, score, atMs: endMs });
    }
    return events;
  }

  /** A candidate fires: its refractory period starts. */
  fire(event: WakeEvent): void {
    this.over.set(event.wakeWordId, 0);
    this.quietUntilMs.set(event.wakeWordId, event.atMs + (this.words.find((w) => w.id === event.wakeWordId)?.refractoryMs ?? 0));
  }
}
