/** The turn log as the learning job and the report read it: rows in time order, with reversals and barge-ins joined in. */
import type { Db } from '../store/db.js';
import type { LoggedTurn } from './feedback.js';

export interface LogRow {
  readonly id: string; readonly session_id: string; readonly started_at_ms: number; readonly source: string; readonly input_text: string;
  readonly intent: string | null; readonly outcome: string; readonly error_code: string | null; readonly commands_json: string; readonly stages_json: string; readonly slots_json: string | null;
}

export function readLog(db: Db): { rows: LogRow[]; turns: LoggedTurn[] } {
  const rows = db.prepare<[], LogRow>('SELECT id, session_id, started_at_ms, source, input_text, intent, outcome, error_code, commands_json, stages_json, slots_json FROM interactions ORDER BY started_at_ms').all();
  const events = (kind: string) => new Map(db.prepare<[string], { turn_id: string; at_ms: number }>('SELECT turn_id, MIN(at_ms) AS at_ms FROM feedback_events WHERE kind = ? GROUP BY turn_id').all(kind).map((x) => [x.turn_id, x.at_ms]));
  const reversed = events('reversal'), bargedIn = events('barge-in');
  const turns = rows.map((r) => ({ id: r.id, sessionId: r.session_id, atMs: r.started_at_ms, text: r.input_text, outcome: r.outcome, errorCode: r.error_code, intent: r.intent,
    reversedAtMs: reversed.get(r.id) ?? null, bargedInAtMs: bargedIn.get(r.id) ?? null }));
  return { rows, turns };
}

/** The home's words as the hub last saved them (hub_meta "vocabulary"), for the failure-point model. */
export function savedVocabulary(db: Db): Set<string> {
  const row = db.prepare<[string], { value: string }>('SELECT value FROM hub_meta WHERE key = ?').get('vocabulary');
  try { return new Set(row ? (JSON.parse(row.value) as string[]) : []); } catch { return new Set(); }
}
