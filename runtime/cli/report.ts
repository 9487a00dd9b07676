/** `hearth report`: defect rate, failure points by stage, and the requests that fail most. */
import { readRefusals } from '../store/refusals.js';
import { join } from 'node:path';
import type { HearthConfig } from '../config/config.js';
import { openDatabase } from '../store/db.js';
import { defectReport, speechSummary } from '../learning/report.js';
import { loadFailureModel } from '../learning/failure-model.js';
import { DEFAULT_MODELS_DIR } from '../models/manifest.js';

export function reportCommand(config: HearthConfig, out: (s: string) => void): number {
  const { db } = openDatabase(join(config.dataDir, 'hearth.db'));
  try {
    const model = loadFailureModel(config.wake.modelsDir ?? DEFAULT_MODELS_DIR);
    const r = defectReport(db, config.learning, model);
    out(`failure points by ${model ? 'the learned model (models/failure-point)' : 'rules (models/failure-point/weights.json is missing)'}`);
    const pct = (n: number, d: number) => `${((100 * n) / Math.max(1, d)).toFixed(1)}%`;
    out(`${r.turns} requests, ${r.defects} defects (${pct(r.defects, r.turns)})`);
    out('failure points by stage:');
    for (const [stage, n] of Object.entries(r.byStage)) out(`  ${stage.padEnd(8)} ${String(n).padStart(5)}  ${pct(n, r.defects)}`);
    out(`defects shown by: ${Object.entries(r.bySignal).map(([k, n]) => `${k} ${n}`).join(', ') || 'nothing'}`);
    if (r.top.length > 0) out('requests that fail most:');
    for (const t of r.top) out(`  ${String(t.count).padStart(4)}x  ${t.text ? `"${t.text}"` : '(no words recognised)'}  (${t.stage})`);
    const speech = speechSummary(db);
    out(`spoken runs: ${speech.runs}`);
    for (const [w, s] of Object.entries(speech.byWakeWord)) out(`  wake ${w.padEnd(14)} ${String(s.runs).padStart(5)} runs, median score ${s.medianScore.toFixed(2)}, ${s.noSpeech} with no request after it`);
    for (const [e, s] of Object.entries(speech.byEngine)) out(`  asr ${e.padEnd(15)} ${String(s.runs).padStart(5)} runs: ${s.heard} heard (median confidence ${s.medianConfidence.toFixed(2)}), ${s.rejected} rejected, ${s.failed} failed`);
    const refused = Object.entries(readRefusals(db));
    out(refused.length === 0 ? 'refused input: none' : 'refused input (code, times, the latest):');
    for (const [code, c] of refused) out(`  ${code.padEnd(22)} ${String(c.n).padStart(6)}  ${c.lastTopic}${c.lastDetail ? `: ${c.lastDetail}` : ''}`);
    return 0;
  } finally {
    db.close();
  }
}
