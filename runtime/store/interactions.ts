/**
 * The interaction log: one row per turn with every stage's input, output, timing and confidence.
 * Learning and failure analysis read it later; a full disk loses the row, never the turn.
 */
import type { TurnResult, TurnInput } from '../types/pipeline.js';
import type { Logger } from '../log.js';
import type { Db } from './db.js';

export class InteractionLog {
  private readonly insert;
  private failures = 0;

  constructor(private readonly db: Db, private readonly log: Logger) {
    this.insert = db.prepare(`INSERT INTO interactions
      (id, session_id, started_at_ms, source, area, input_text, intent, slots_json, outcome, speech, error_code,
       used_context_json, commands_json, stages_json, total_ms)
      VALUES (@id, @session_id, @started_at_ms, @source, @area, @input_text, @intent, @slots_json, @outcome, @speech,
       @error_code, @used_context_json, @commands_json, @stages_json, @total_ms)`);
  }

  record(input: TurnInput, result: TurnResult, totalMs: number): void {
    try {
      this.insert.run({
        id: result.turnId, session_id: result.sessionId, started_at_ms: input.atMs, source: input.source, area: input.area ?? null,
        input_text: input.text, intent: result.intent ?? null, slots_json: result.slots ? JSON.stringify(result.slots) : null,
        outcome: result.response.outcome, speech: result.response.speech, error_code: result.errorCode ?? null,
        used_context_json: JSON.stringify(result.usedContext), commands_json: JSON.stringify(result.commands),
        stages_json: JSON.stringify(result.stages), total_ms: totalMs,
      });
    } catch (err) {
      // A full or read-only disk must not stop the hub from answering.
      this.failures++;
      this.log.error({ err: (err as Error).message, code: 'store-write-failed', failures: this.failures }, 'could not log the turn; the hub keeps running');
    }
  }

  recent(limit = 20): unknown[] {
    return this.db.prepare('SELECT * FROM interactions ORDER BY started_at_ms DESC LIMIT ?').all(limit);
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM interactions').get() as { n: number }).n;
  }
}
