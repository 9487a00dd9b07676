/**
 * Pools wake-eval reports of separate sets (`hearth wake-eval <set> --json-out r.json`, one per set) into the report
 * a pooled run (`hearth wake-eval <set> <set>...`) gives: every count is a sum, and the rates are taken again over the
 * summed positives and negative hours. Why: a pooled run streams every set again (minutes each on a hub-sized CPU),
 * while the per-set reports already hold every count, at every point of the DET and of the operating-point sweep.
 */
import { HearthError } from '../../runtime/types/errors.js';
import { bestUnderGoal, type DetPoint, type OperatingPoint, type WordReport } from './wake.js';

type Counts = Record<string, { n: number; missed: number }>;

function sumCounts(all: readonly Counts[]): Counts {
  const out: Counts = {};
  for (const c of all) for (const [k, v] of Object.entries(c)) { const e = (out[k] ??= { n: 0, missed: 0 }); e.n += v.n; e.missed += v.missed; }
  return out;
}

/** DET curves of the same thresholds from several sets: missed and false accepts back to counts, summed, made rates again. */
function poolCurves(curves: readonly (readonly DetPoint[])[], parts: readonly WordReport[], positives: number, hours: number): DetPoint[] {
  return curves[0]!.map((p, i) => {
    let missed = 0, fa = 0;
    curves.forEach((c, k) => {
      const q = c[i];
      if (!q || q.threshold !== p.threshold) throw new HearthError('wake-pool-mismatch', 'input', `wake-eval reports to pool have different DET thresholds (${p.threshold} against ${q?.threshold}); make them with the same Hearth version.`);
      missed += q.frr * parts[k]!.positives;
      fa += q.faPerHour * parts[k]!.negativeHours;
    });
    return { threshold: p.threshold, frr: Math.round(missed) / Math.max(1, positives), faPerHour: Math.round(fa) / Math.max(hours, 1e-9) };
  });
}

/** One word's reports from several sets, as one report. They must share the word's configured setting. */
function poolWord(parts: readonly WordReport[]): WordReport {
  const first = parts[0]!;
  for (const r of parts) {
    if (r.threshold !== first.threshold || r.patienceFrames !== first.patienceFrames || r.verifierThreshold !== first.verifierThreshold) {
      throw new HearthError('wake-pool-mismatch', 'input', `${first.word}'s reports to pool were made at different settings (${first.threshold} / ${first.patienceFrames} against ${r.threshold} / ${r.patienceFrames}); pool only reports of the same models and config.`);
    }
  }
  const sum = (f: (r: WordReport) => number) => parts.reduce((a, r) => a + f(r), 0);
  const positives = sum((r) => r.positives), hours = sum((r) => r.negativeHours), falseAccepts = sum((r) => r.falseAccepts);
  const faBySet: Record<string, number> = {};
  for (const r of parts) for (const [k, v] of Object.entries(r.faBySet)) faBySet[k] = (faBySet[k] ?? 0) + v;
  const operatingPoints: OperatingPoint[] = first.operatingPoints.map((o, i) => {
    const curve = poolCurves(parts.map((r) => r.operatingPoints[i]?.curve ?? []), parts, positives, hours);
    return { patienceFrames: o.patienceFrames, ...(o.verifierThreshold !== undefined ? { verifierThreshold: o.verifierThreshold } : {}), best: bestUnderGoal(curve), curve };
  });
  return {
    word: first.word, threshold: first.threshold, patienceFrames: first.patienceFrames, ...(first.verifierThreshold !== undefined ? { verifierThreshold: first.verifierThreshold } : {}),
    positives, falseRejects: sum((r) => r.falseRejects), frrBySet: sumCounts(parts.map((r) => r.frrBySet)), frrHarder: sumCounts(parts.map((r) => r.frrHarder)),
    negativeHours: hours, falseAccepts, faBySet, faPerHour: falseAccepts / Math.max(hours, 1e-9),
    // Only when every part has them (reports made before 2026-12-06 do not).
    ...(parts.every((r) => r.verifierCalls !== undefined) ? { verifierCalls: sum((r) => r.verifierCalls!) } : {}),
    ...(parts.every((r) => r.firesAfterWordEndMs !== undefined) ? { firesAfterWordEndMs: parts.flatMap((r) => r.firesAfterWordEndMs!) } : {}),
    missedVoices: parts.flatMap((r) => r.missedVoices), falseAcceptFiles: parts.flatMap((r) => r.falseAcceptFiles),
    det: poolCurves(parts.map((r) => r.det), parts, positives, hours), operatingPoints,
  };
}

/**
 * Reports of several sets (each a list of word reports) as one list, a word per entry, in the first set's order. Every
 * report must have the same words: a set without a word's positives has no trace of it, so its negatives cannot count.
 */
export function poolReports(sets: readonly (readonly WordReport[])[]): WordReport[] {
  if (sets.length === 0) throw new HearthError('wake-pool-empty', 'input', 'Nothing to pool: give one wake-eval --json-out report per set.');
  const words = [...new Set(sets.flatMap((set) => set.map((r) => r.word)))];
  return words.map((word) => poolWord(sets.map((set, i) => {
    const mine = set.find((x) => x.word === word);
    if (!mine) throw new HearthError('wake-pool-mismatch', 'input', `Report ${i + 1} of ${sets.length} has no ${word}; pool only reports of the same words.`);
    return mine;
  })));
}
