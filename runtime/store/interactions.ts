/**
 * The interaction log: one row per turn with every stage's input, output, timing and confidence.
 * Learning and failure analysis read it later. A full or read-only disk never costs the turn: rows
 * that cannot be written wait in a bounded queue and are written as soon as the disk takes them
 * again (oldest dropped and counted past PENDING_MAX, so memory stays flat on a disk that stays full).
 */
import type { TurnResult, TurnInput } from '../types/pipeline.js';
import type { Logger } from '../log.js';
import type { Db } from './db.js';

type Row = Record<string, string | number | null>;

/** Rows kept in memory while the disk refuses writes: about 2 MB at typical row sizes. */
export const PENDING_MAX = 1000;

export class InteractionLog {
  private readonly insert;
  private readonly pending: Row[] = [];
  /** Write attempts that failed (full disk, read-only file...). */
  failures = 0;
  /** Rows lost because the pending queue was full. */
  dropped = 0;
  private wasFailing = false;

  constructor(private readonly db: Db, private readonly log: Logger) {
    this.insert = db.prepare(`INSERT INTO interactions
      (id, session_id, started_at_ms, source, area, input_text, intent, slots_json, outcome, speech, error_code,
       used_context_json, commands_json, stages_json, total_ms)
      VALUES (@id, @session_id, @started_at_ms, @source, @area, @input_text, @intent, @slots_json, @outcome, @speech,
       @error_code, @used_context_json, @commands_json, @stages_json, @total_ms)`);
  }

  record(input: TurnInput, result: TurnResult, totalMs: number): void {
    this.pending.push({
      id: result.turnId, session_id: result.sessionId, started_at_ms: input.atMs, source: input.source, area: input.area ?? null,
      input_text: input.text, intent: result.intent ?? null, slots_json: result.slots ? JSON.stringify(result.slots) : null,
      outcome: result.response.outcome, speech: result.response.speech, error_code: result.errorCode ?? null,
      used_context_json: JSON.stringify(result.usedContext), commands_json: JSON.stringify(result.commands),
      stages_json: JSON.stringify(result.stages), total_ms: totalMs,
    });
    if (this.pending.length > PENDING_MAX) {
      this.pending.shift();
      this.dropped++;
    }
    this.flush();
  }

  /** Rows waiting for the disk. */
  get pendingRows(): number {
    return this.pending.length;
  }

  /** Writes every waiting row in one transaction; on failure they stay queued for the next turn. */
  flush(): boolean {
    try {
      this.db.transaction((rows: Row[]) => { for (const r of rows) this.insert.run(r); })(this.pending);
      if (this.failures > 0 && this.wasFailing) this.log.info({ code: 'store-write-recovered' }, 'the turn log is writable again; queued turns written');
      this.wasFailing = false;
      this.pending.length = 0;
      return true;
    } catch (err) {
      this.failures++;
      // Logged when the trouble starts and every 100th failure after, not once per turn.
      if (!this.wasFailing || this.failures % 100 === 0) {
        this.log.error({ err: (err as Error).message, code: 'store-write-failed', file: this.db.name, pending: this.pending.length, dropped: this.dropped },
          `could not write the turn log to ${this.db.name} (disk full or read-only?); turns are kept in memory and the hub keeps running`);
      }
      this.wasFailing = true;
      return false;
    }
  }

  recent(limit = 20): unknown[] {
    return this.db.prepare('SELECT * FROM interactions ORDER BY started_at_ms DESC LIMIT ?').all(limit);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM interactions').get() as { n: number }).n;
  }
}
