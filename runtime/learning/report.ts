/**
 * `hearth report`: the defect rate, failure points by stage, and the requests that fail most,
 * from the turn log (labelled now if the learning job has not run).
 */
import type { Db } from '../store/db.js';
import { normalize } from '../nlu/normalize.js';
import { isDialogueTurn, labelTurns, type FeedbackSettings } from './feedback.js';
import { readLog, savedVocabulary, type LogRow } from './log-reader.js';
import { failureFeatures, predictStage, type FailureInput, type FailureModel } from './failure-model.js';
import { failurePoint, type FailureStage } from './failure-point.js';


export interface DefectReport {
  readonly turns: number;
  readonly defects: number;
  readonly byStage: Readonly<Record<FailureStage, number>>;
  /** What showed each defect: the hub failed, "no", a rephrase, a reversal by hand, a barge-in. */
  readonly bySignal: Readonly<Record<string, number>>;
  readonly top: readonly { text: string; count: number; stage: FailureStage }[];
}

/** With a model (models/failure-point), its answer; without one, the rule baseline's. */
export function defectReport(db: Db, s: FeedbackSettings, model?: FailureModel, topN = 10): DefectReport {
  const { rows, turns } = readLog(db);
  const labels = labelTurns(turns, s);
  const vocabulary = savedVocabulary(db);
  const byStage: Record<FailureStage, number> = { wake: 0, asr: 0, nlu: 0, resolve: 0, result: 0 };
  const failing = new Map<string, { count: number; stages: Map<FailureStage, number> }>();
  const bySignal: Record<string, number> = {};
  let counted = 0, defects = 0;
  rows.forEach((r, i) => {
    if (isDialogueTurn(turns[i]!)) return;
    counted++;
    // The next request (not feedback like "no") in the same conversation: the person's rephrase.
    const next = rows.slice(i + 1).find((x, k) => !isDialogueTurn(turns[i + 1 + k]!) && x.started_at_ms - r.started_at_ms <= s.rephraseWindowMs);
    const follows = next && next.session_id === r.session_id ? next : undefined;
    const facts: FailureInput = {
      source: r.source, outcome: r.outcome, errorCode: r.error_code, intent: r.intent, targets: targetsOf(r), reason: labels[i]!.reason,
      rewrite: rewriteOf(r), ...(follows ? { next: { intent: follows.intent, targets: targetsOf(follows), outcome: follows.outcome } } : {}),
      text: r.input_text, unknownName: unknownOf(r), nextText: follows?.input_text ?? null, vocabulary,
    };
    const rule = failurePoint(facts);
    if (!rule) return;
    const stage = model ? predictStage(model, failureFeatures(facts)) : rule;
    defects++;
    byStage[stage]++;
    bySignal[labels[i]!.reason] = (bySignal[labels[i]!.reason] ?? 0) + 1;
    const key = normalize(r.input_text);
    const f = failing.get(key) ?? { count: 0, stages: new Map() };
    f.count++;
    f.stages.set(stage, (f.stages.get(stage) ?? 0) + 1);
    failing.set(key, f);
  });
  const top = [...failing].sort((a, b) => b[1].count - a[1].count).slice(0, topN)
    .map(([text, f]) => ({ text, count: f.count, stage: [...f.stages].sort((a, b) => b[1] - a[1])[0]![0] }));
  return { turns: counted, defects, byStage, bySignal, top };
}

export interface SpeechSummary {
  readonly runs: number;
  /** Per wake word: runs it opened, the median score, and how many of them had no request after it. */
  readonly byWakeWord: Readonly<Record<string, { runs: number; medianScore: number; noSpeech: number }>>;
  /** Per ASR engine: runs, words recognised, speech rejected, failures (no engine, an error), median confidence. */
  readonly byEngine: Readonly<Record<string, { runs: number; heard: number; rejected: number; failed: number; medianConfidence: number }>>;
}

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s.length === 0 ? 0 : s[Math.floor(s.length / 2)]!; };

/** The spoken runs, from their turn records' wake, vad and asr stages. */
export function speechSummary(db: Db): SpeechSummary {
  // Only the spoken runs' stages and codes: the whole log with its feedback labels (readLog) is not needed here.
  const rows = db.prepare<[], { stages_json: string; error_code: string | null }>("SELECT stages_json, error_code FROM interactions WHERE source = 'speech'").all();
  const wake: Record<string, { runs: number; scores: number[]; noSpeech: number }> = {};
  const asr: Record<string, { runs: number; heard: number; rejected: number; failed: number; conf: number[] }> = {};
  let runs = 0;
  for (const r of rows) {
    let stages: { stage: string; output: Record<string, unknown> | null; input: Record<string, unknown> | null; confidence?: number; errorCode?: string }[];
    try { stages = JSON.parse(r.stages_json) as typeof stages; } catch { continue; }
    const w = stages.find((s) => s.stage === 'wake'), a = stages.find((s) => s.stage === 'asr');
    if (!w) continue; // a spoken turn without audio stages (said as speech by a test or a client)
    runs++;
    const word = String(w.output?.['wakeWord'] ?? '?');
    const ws = (wake[word] ??= { runs: 0, scores: [], noSpeech: 0 });
    ws.runs++;
    ws.scores.push(Number(w.output?.['score'] ?? 0));
    if (r.error_code === 'vad-no-speech') ws.noSpeech++;
    else if (a) {
      const e = (asr[String(a.input?.['engine'] ?? 'none')] ??= { runs: 0, heard: 0, rejected: 0, failed: 0, conf: [] });
      e.runs++;
      if (a.errorCode === 'asr-rejected') e.rejected++;
      else if (a.errorCode) e.failed++;
      else { e.heard++; if (a.confidence !== undefined) e.conf.push(a.confidence); }
    }
  }
  return {
    runs,
    byWakeWord: Object.fromEntries(Object.entries(wake).map(([k, v]) => [k, { runs: v.runs, medianScore: median(v.scores), noSpeech: v.noSpeech }])),
    byEngine: Object.fromEntries(Object.entries(asr).map(([k, v]) => [k, { runs: v.runs, heard: v.heard, rejected: v.rejected, failed: v.failed, medianConfidence: median(v.conf) }])),
  };
}

function targetsOf(r: LogRow): string[] {
  try { return (JSON.parse(r.commands_json) as { deviceId: string }[]).map((c) => c.deviceId); } catch { return []; }
}

function unknownOf(r: LogRow): string | null {
  try { return (JSON.parse(r.slots_json ?? '{}') as { unknown_name?: string }).unknown_name ?? null; } catch { return null; }
}

function rewriteOf(r: LogRow): string | null {
  try {
    const stage = (JSON.parse(r.stages_json) as { stage: string; output: { source?: string } | null }[]).find((x) => x.stage === 'rewrite');
    return stage?.output?.source && stage.output.source !== 'none' ? stage.output.source : null;
  } catch { return null; }
}
