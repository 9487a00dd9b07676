/**
 * Requests per origin in a sliding window: one chatty or hostile client (a script on the say topic, a stuck satellite,
 * one address enrolling hubs at the sync service) cannot keep others waiting, and each origin is limited on its own.
 * Origins are bounded too, so made-up ids cannot grow the table without end.
 */
export class RateLimit {
  private readonly hits = new Map<string, number[]>();
  /** Requests refused, in all. */
  refused = 0;

  constructor(private readonly max: number, private readonly windowMs: number, private readonly maxOrigins = 1000) {}

  allow(origin: string, nowMs: number): boolean {
    const since = nowMs - this.windowMs;
    let h = this.hits.get(origin);
    if (!h) {
      if (this.hits.size >= this.maxOrigins) this.prune(since);
      if (this.hits.size >= this.maxOrigins) { this.refused++; return false; } // every slot busy this very window
      h = [];
      this.hits.set(origin, h);
    }
    while (h.length > 0 && h[0]! <= since) h.shift();
    if (h.length >= this.max) { this.refused++; return false; }
    h.push(nowMs);
    return true;
  }

  private prune(since: number): void {
    for (const [k, h] of this.hits) if (h.length === 0 || h.at(-1)! <= since) this.hits.delete(k);
  }
}
