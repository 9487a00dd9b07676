/** Timers in SQLite, per site: a running timer has an end time, a paused one the time it had left. */
import { randomUUID } from 'node:crypto';
import type { Db } from './db.js';

export interface TimerRow {
  readonly id: string;
  readonly site_id: string;
  readonly name: string | null;
  readonly duration_ms: number;
  readonly ends_at_ms: number | null;
  readonly remaining_ms: number | null;
  readonly created_at_ms: number;
}

export class TimerStore {
  constructor(private readonly db: Db) {}

  start(siteId: string, durationMs: number, name: string | undefined, nowMs: number): TimerRow {
    const row: TimerRow = { id: randomUUID(), site_id: siteId, name: name ?? null, duration_ms: durationMs, ends_at_ms: nowMs + durationMs, remaining_ms: null, created_at_ms: nowMs };
    this.db.prepare('INSERT INTO timers (id, site_id, name, duration_ms, ends_at_ms, remaining_ms, created_at_ms) VALUES (@id, @site_id, @name, @duration_ms, @ends_at_ms, @remaining_ms, @created_at_ms)').run(row);
    return row;
  }

  onSite(siteId: string): TimerRow[] {
    return this.db.prepare<[string], TimerRow>('SELECT * FROM timers WHERE site_id = ? ORDER BY created_at_ms').all(siteId);
  }

  all(): TimerRow[] {
    return this.db.prepare<[], TimerRow>('SELECT * FROM timers ORDER BY created_at_ms').all();
  }

  /** Running timers that end at or before `nowMs`, oldest first. */
  due(nowMs: number): TimerRow[] {
    return this.db.prepare<[number], TimerRow>('SELECT * FROM timers WHERE ends_at_ms IS NOT NULL AND ends_at_ms <= ? ORDER BY ends_at_ms').all(nowMs);
  }

  /** When the next running timer ends. */
  nextEndMs(): number | undefined {
    return this.db.prepare<[], { t: number | null }>('SELECT MIN(ends_at_ms) AS t FROM timers').get()?.t ?? undefined;
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM timers WHERE id = ?').run(id);
  }

  /** Time left (ms) of a timer, running or paused. */
  static leftMs(t: TimerRow, nowMs: number): number {
    return Math.max(0, t.ends_at_ms !== null ? t.ends_at_ms - nowMs : t.remaining_ms ?? 0);
  }

  /** Adds or takes time; the timer keeps the length it was set for (its name: "the 10 minute timer"). */
  adjust(t: TimerRow, deltaMs: number, nowMs: number): void {
    const left = Math.max(1000, TimerStore.leftMs(t, nowMs) + deltaMs);
    if (t.ends_at_ms !== null) this.db.prepare('UPDATE timers SET ends_at_ms = ? WHERE id = ?').run(nowMs + left, t.id);
    else this.db.prepare('UPDATE timers SET remaining_ms = ? WHERE id = ?').run(left, t.id);
  }

  pause(t: TimerRow, nowMs: number): void {
    this.db.prepare('UPDATE timers SET remaining_ms = ?, ends_at_ms = NULL WHERE id = ?').run(TimerStore.leftMs(t, nowMs), t.id);
  }

  unpause(t: TimerRow, nowMs: number): void {
    this.db.prepare('UPDATE timers SET ends_at_ms = ?, remaining_ms = NULL WHERE id = ?').run(nowMs + (t.remaining_ms ?? 0), t.id);
  }
}
