/**
 * The turn record: one per run, whatever its source and however it ended, in SQLite (interactions.stages_json) and on
 * `<prefix>/turn`. Its shape is runtime/types/turn-record.schema.json. Stage inputs and outputs are kept small enough to
 * publish: a device is its id there, not its snapshot.
 */
import type { StageTrace, TurnResult } from '../types/pipeline.js';

/** A stage's input or output as the record keeps it: plain data, a device snapshot ({device, state}) as its id. */
export function compact(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : compact(v)));
  const o = value as Record<string, unknown>;
  if ('device' in o && 'state' in o) {
    const id = (o['device'] as { id?: unknown } | null)?.id;
    if (typeof id === 'string') return id;
  }
  const out: Record<string, unknown> = {};
  for (const k in o) if (o[k] !== undefined && typeof o[k] !== 'function') out[k] = compact(o[k]);
  return out;
}

export interface TurnRecord {
  readonly turnId: string;
  readonly sessionId: string;
  readonly requestId: string | null;
  readonly source: string;
  readonly siteId: string | null;
  readonly atMs: number;
  readonly text: string | null;
  readonly intent: string | null;
  readonly slots: Record<string, unknown> | null;
  readonly speech: string;
  readonly outcome: string;
  readonly asks: boolean;
  readonly usedContext: readonly string[];
  readonly errorCode: string | null;
  readonly commands: readonly { topic: string; payload: string }[];
  readonly stages: readonly StageTrace[];
}

/** The record of a finished run (the PIN was redacted by the run itself). */
export function turnRecord(r: TurnResult): TurnRecord {
  return {
    turnId: r.turnId, sessionId: r.sessionId, requestId: r.requestId ?? null, source: r.source, siteId: r.siteId ?? null, atMs: r.atMs,
    text: r.text === '' ? null : r.text, intent: r.intent ?? null, slots: r.slots ? { ...r.slots } : null,
    speech: r.response.speech, outcome: r.response.outcome, asks: r.response.continueConversation, usedContext: r.usedContext,
    errorCode: r.errorCode ?? null, commands: r.commands.map((c) => ({ topic: c.topic, payload: c.payload })), stages: r.stages,
  };
}
