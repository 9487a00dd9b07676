/** Failure-point accuracy on simulator turns with injected faults: shared by the simulator report and the trainer. */
import { simulate } from './simulate.js';
import { STAGES, type FailureInput } from '../../runtime/learning/failure-model.js';
import type { FailureStage } from '../../runtime/learning/failure-point.js';

export interface Labelled { readonly x: FailureInput; readonly y: FailureStage }

export async function collectFaults(seeds: readonly number[]): Promise<Labelled[]> {
  const out: Labelled[] = [];
  for (const seed of seeds) await simulate(3, seed, (x, y) => out.push({ x, y }));
  return out;
}

export function accuracy(data: readonly Labelled[], predict: (x: FailureInput) => FailureStage | undefined): { acc: number; byStage: Record<string, string> } {
  let ok = 0;
  const per: Record<string, [number, number]> = {};
  for (const d of data) {
    const hit = predict(d.x) === d.y;
    if (hit) ok++;
    const p = (per[d.y] ??= [0, 0]);
    p[1]++;
    if (hit) p[0]++;
  }
  return { acc: ok / Math.max(1, data.length), byStage: Object.fromEntries(STAGES.map((s) => [s, per[s] ? `${per[s]![0]}/${per[s]![1]}` : '-'])) };
}

export function accuracyTable(rows: readonly [string, ReturnType<typeof accuracy>][]): string {
  return `| method | accuracy | ${STAGES.join(' | ')} |
|---|---|${STAGES.map(() => '---').join('|')}|
${rows.map(([name, r]) => `| ${name} | ${(r.acc * 100).toFixed(1)}% | ${STAGES.map((s) => r.byStage[s]).join(' | ')} |`).join('\n')}`;
}
