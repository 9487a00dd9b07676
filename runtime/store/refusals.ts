/**
 * Input the hub refused (a malformed bridge entry, a command to its own topics, a flood on the say topic), counted by
 * code and kept in hub_meta so that `hearth report` shows them: a refusal is never logged once and forgotten.
 * Saved at most once a second; the log gets the first of each code and topic.
 */
import type { Db } from './db.js';
import { HubMeta } from './db.js';

export interface RefusalCount { n: number; lastTopic: string; lastDetail: string; lastAtMs: number }
const KEY = 'refusals';
const SAVE_EVERY_MS = 1000;

export class Refusals {
  private readonly counts = new Map<string, RefusalCount>();
  private readonly seen = new Set<string>();
  private readonly meta: HubMeta | undefined;
  private savedAtMs = 0;
  private timer: NodeJS.Timeout | undefined;

  /** `published`: the counts by code each time they are saved (the hub's retained `<prefix>/refusals` status topic). */
  constructor(db: Db | undefined, private readonly nowMs: () => number, private readonly published?: (countsByCode: Record<string, number>) => void) {
    this.meta = db ? new HubMeta(db) : undefined;
    for (const [code, c] of Object.entries(db ? readRefusals(db) : {})) this.counts.set(code, c);
  }

  /** Counts one; true the first time this code is seen on this topic (log it then). */
  note(code: string, topic: string, detail: string): boolean {
    const now = this.nowMs();
    const c = this.counts.get(code) ?? { n: 0, lastTopic: '', lastDetail: '', lastAtMs: 0 };
    this.counts.set(code, { n: c.n + 1, lastTopic: topic, lastDetail: detail.slice(0, 300), lastAtMs: now });
    if (now - this.savedAtMs >= SAVE_EVERY_MS) this.save();
    else this.timer ??= setTimeout(() => this.save(), SAVE_EVERY_MS).unref();
    const key = `${code} ${topic}`;
    if (this.seen.has(key) || this.seen.size >= 10_000) return false;
    this.seen.add(key);
    return true;
  }

  count(code: string): number {
    return this.counts.get(code)?.n ?? 0;
  }

  save(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.savedAtMs = this.nowMs();
    try { this.meta?.set(KEY, JSON.stringify(Object.fromEntries(this.counts))); } catch { /* a full disk: counted in memory, saved next time */ }
    this.published?.(Object.fromEntries([...this.counts].map(([code, c]) => [code, c.n])));
  }
}

export function readRefusals(db: Db): Record<string, RefusalCount> {
  try { return JSON.parse(new HubMeta(db).get(KEY) ?? '{}') as Record<string, RefusalCount>; } catch { return {}; }
}
