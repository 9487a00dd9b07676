/**
 * Barge-ins: the wake word heard while the hub is still saying its reply means the person cut it
 * off, usually because the reply (or what the hub did) was wrong. The hub does not play audio
 * itself: whatever speaks `<prefix>/reply` does, so the time a reply is being spoken is estimated
 * from its length (a speaker that reports the end, Hermes `hermes/tts/sayFinished`, ends it
 * sooner). Pure: calls in, the interrupted turn out.
 */
export interface SpokenReply { readonly turnId: string; readonly fromMs: number; untilMs: number }

/** Speech time of a reply: about 160 words a minute, after a short lead-in, at most 15 s. */
export function replyDurationMs(speech: string): number {
  const words = speech.split(/\s+/).filter(Boolean).length;
  return Math.min(15_000, 400 + words * 375);
}

export class ReplyWindows {
  private readonly speaking = new Map<string, SpokenReply>();

  /** The hub answered `turnId` on `siteId` at `atMs`. */
  replied(siteId: string, turnId: string, speech: string, atMs: number): void {
    if (!speech.trim()) return;
    this.speaking.set(siteId, { turnId, fromMs: atMs, untilMs: atMs + replyDurationMs(speech) });
  }

  /** The reply's audio plays until at least `untilMs` (known once it is synthesized; the estimate may be short). */
  extend(siteId: string, untilMs: number): void {
    const r = this.speaking.get(siteId);
    if (r && untilMs > r.untilMs) r.untilMs = untilMs;
  }

  /** The speaker says it has finished (earlier than the estimate, or later). */
  finished(siteId: string, atMs: number): void {
    const r = this.speaking.get(siteId);
    if (r) r.untilMs = atMs;
  }

  /** A wake word on `siteId` at `atMs`: the turn whose reply it cut off, if it did. */
  wake(siteId: string, atMs: number): string | undefined {
    const r = this.speaking.get(siteId);
    if (!r || atMs < r.fromMs || atMs > r.untilMs) return undefined;
    this.speaking.delete(siteId); // one barge-in per reply
    return r.turnId;
  }

  /** Whether a reply is being spoken on `siteId` now. */
  isSpeaking(siteId: string, atMs: number): boolean {
    const r = this.speaking.get(siteId);
    return r !== undefined && atMs >= r.fromMs && atMs <= r.untilMs;
  }
}
