/**
 * `hearth wake-eval <folder>... [--det det.png] [--report report.md] [--json-out report.json]`: false rejects per
 * wake word (clean and 20 dB positives, and which voices missed) and false accepts per hour, at the configured
 * thresholds, plus the DET curve and the best operating points over patience and verifier thresholds (the JSON has
 * every one); how long after the end of the word each one fires, against the pre-roll (on positives whose labels say
 * where the word ends); then false rejects in the harder conditions (10 and 5 dB, reverb) when the folder has them.
 * Several folders are pooled into one set (readSets). Closes with `N passed, M failed` over the goal's positives.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { HearthError } from '../../runtime/types/errors.js';
import { prerollReachMs } from '../../runtime/audio/endpointer.js';
import type { HearthConfig } from '../../runtime/config/config.js';
import type { Logger } from '../../runtime/log.js';
import { evaluateWake, GOAL_FA_PER_HOUR, type OperatingPoint, type WordReport } from './wake.js';
import { poolReports } from './wake-pool.js';
import { writeDet } from './det-svg.js';
import { liveWakeEval, liveWakeReport, liveWakeShifts } from './wake-live.js';
import { naturalManifest } from './natural-set.js';

/** Up to 12 names, then how many more. */
function list(names: readonly string[]): string {
  if (names.length === 0) return 'none';
  return names.slice(0, 12).join(', ') + (names.length > 12 ? `, ... (${names.length - 12} more)` : '');
}

/** The q-quantile of sorted numbers (nearest rank). */
const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;

/**
 * How late each word fires after it ends, against how far back the utterance reaches (prerollReachMs), so a command
 * said without a pause loses its start on the positives that fire later than that.
 */
function firingDelays(reports: readonly WordReport[], prerollMs: number): string {
  const reachMs = prerollReachMs(prerollMs);
  const lines = reports.filter((r) => r.firesAfterWordEndMs?.length).map((r) => {
    const d = [...r.firesAfterWordEndMs!].sort((a, b) => a - b);
    const late = d.filter((x) => x > reachMs).length;
    return `- ${r.word}: median ${quantile(d, 0.5)} ms, 90th percentile ${quantile(d, 0.9)}, 99th ${quantile(d, 0.99)}, latest ${d[d.length - 1]} (${d.length} positives); later than the pre-roll reaches: ${late} (${pct(late, d.length)})`;
  });
  return lines.length === 0 ? '' : `
When each word fires after it ends (goal positives that say the word alone, found at the configured point; the word's end
from labels.json's wakeEndS; the utterance starts ${reachMs} ms before the firing frame ends, endpoint.prerollMs ${prerollMs}):
${lines.join('\n')}
`;
}

export function wakeReport(reports: readonly WordReport[], folders: string | readonly string[], prerollMs: number): string {
  const folder = typeof folders === 'string' ? folders : folders.join(' + ');
  const rows = reports.map((r) => {
    const sets = Object.entries(r.frrBySet).map(([k, v]) => `${k} ${v.missed}/${v.n}`).join(', ');
    const fa = Object.entries(r.faBySet).map(([k, v]) => `${k} ${v}`).join(', ') || '-';
    return `| ${r.word} | ${r.threshold} (${r.patienceFrames})${r.verifierThreshold !== undefined ? `, verifier ${r.verifierThreshold}` : ''} | ${r.positives} | ${r.falseRejects} (${pct(r.falseRejects, r.positives)}) | ${sets} | ${r.falseAccepts} (${fa}) | ${r.negativeHours.toFixed(2)} | ${r.faPerHour.toFixed(2)} |`;
  });
  const best = reports.map((r) => {
    const ok = r.det.filter((p) => p.faPerHour <= GOAL_FA_PER_HOUR).sort((a, b) => a.frr - b.frr)[0];
    return `- ${r.word}: ${ok ? `at <= 0.5 false accepts/hour the lowest false-reject rate is ${(ok.frr * 100).toFixed(1)}% (threshold ${ok.threshold}, patience ${r.patienceFrames}${r.verifierThreshold !== undefined ? `, verifier at ${r.verifierThreshold}` : ''})` : `no threshold at patience ${r.patienceFrames} reaches <= 0.5 false accepts/hour`}; missed voices at the configured threshold: ${list(r.missedVoices)}; false accepts: ${list(r.falseAcceptFiles)}`;
  });
  const calls = reports.filter((r) => r.verifierCalls !== undefined).map((r) => `${r.word} ${r.verifierCalls} (${(r.verifierCalls! / Math.max(r.negativeHours, 1e-9)).toFixed(0)} per hour)`);
  const setting = (o: OperatingPoint) => `${o.best!.threshold} / ${o.patienceFrames}${o.verifierThreshold !== undefined ? ` / verifier ${o.verifierThreshold}` : ''}`;
  const sweep = reports.map((r) => {
    const top = r.operatingPoints.filter((o) => o.best).sort((a, b) => a.best!.frr - b.best!.frr || a.best!.faPerHour - b.best!.faPerHour).slice(0, 3);
    return `- ${r.word}: ${top.length === 0 ? 'none' : top.map((o) => `${(o.best!.frr * 100).toFixed(1)}% at ${o.best!.faPerHour.toFixed(2)} per hour (${setting(o)})`).join('; ')}`;
  });
  const order = (c: string) => { const k = ['snr10', 'snr5', 'reverb'].indexOf(c); return k < 0 ? 99 : k; }; // noisier to the right, then the room
  const conditions = [...new Set(reports.flatMap((r) => Object.keys(r.frrHarder)))].sort((a, b) => order(a) - order(b));
  const harder = conditions.length === 0 ? '' : `
Harder conditions (not in the goal or the table above; same thresholds): false rejects, missed/n
| word | ${conditions.join(' | ')} |
|---|${conditions.map(() => '---|').join('')}
${reports.map((r) => `| ${r.word} | ${conditions.map((c) => { const e = r.frrHarder[c]; return e ? `${pct(e.missed, e.n)} (${e.missed}/${e.n})` : '-'; }).join(' | ')} |`).join('\n')}
`;
  return `| word | threshold (patience) | positives | false rejects | by set (missed/n) | false accepts (by set) | negative hours | false accepts/hour |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

Data: ${folder}. Positives: the goal's conditions (clean, 20 dB SNR). Negatives for a word are the negative files plus the other words' positives in those conditions.
${best.join('\n')}
${calls.length ? `Verifier runs on the negatives at the configured point (each a verifier call in the live hub): ${calls.join(', ')}.\n` : ''}
${firingDelays(reports, prerollMs)}
Best operating points at <= ${GOAL_FA_PER_HOUR} false accepts/hour over patience 1-3 and verifier thresholds (threshold / patience / verifier;
chosen on this data, so confirm a change on a set it never saw):
${sweep.join('\n')}
${harder}`;
}

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;

export async function wakeEval(config: HearthConfig, folders: readonly string[], opts: { det?: string; report?: string; 'json-out'?: string; asrCheck?: boolean; shiftsMs?: readonly number[] }, log: Logger): Promise<number> {
  let last = 0;
  const reports = await evaluateWake(folders, config, log, (done, total) => {
    if (done - last >= 200 || done === total) { last = done; process.stderr.write(`wake-eval: ${done}/${total} files\n`); }
  });
  let md = wakeReport(reports, folders, config.endpoint.prerollMs);
  if (opts.asrCheck) {
    if (folders.length !== 1 || !naturalManifest(folders[0]!)) throw new HearthError('cli-usage', 'config', 'wake-eval --asr-check takes one natural-speech folder (with manifest.tsv).');
    const runs = [];
    for (const shift of opts.shiftsMs ?? [0]) runs.push(await liveWakeEval(config, folders[0]!, log, shift));
    md += liveWakeReport(runs[0]!, config.asr.engine);
    if (runs.length > 1) md += liveWakeShifts(runs);
  }
  process.stdout.write(md);
  if (opts.report) writeFileSync(opts.report, md);
  if (opts['json-out']) writeFileSync(opts['json-out'], `${JSON.stringify({ folders, reports }, null, 1)}\n`);
  if (opts.det) process.stdout.write(`DET curve: ${writeDet(reports, opts.det, 'Hearth wake words: DET')}\n`);
  const positives = reports.reduce((a, r) => a + r.positives, 0);
  const missed = reports.reduce((a, r) => a + r.falseRejects, 0);
  process.stdout.write(`${positives - missed} passed, ${missed} failed\n`);
  return 0;
}

/** `hearth wake-eval --pool <report.json>...`: separate sets' --json-out reports as the one report a pooled run gives. */
export function wakePool(config: HearthConfig, files: readonly string[], opts: { det?: string; report?: string }): number {
  const sets = files.map((f) => {
    let text: string;
    try { text = readFileSync(f, 'utf8'); } catch (e) { throw new HearthError('wake-pool-read', 'input', `Cannot read the wake-eval report ${f}: ${(e as Error).message}`); }
    try {
      const json = JSON.parse(text) as { folders?: string[]; reports?: WordReport[] };
      if (!Array.isArray(json.reports)) throw new Error('no "reports" list');
      return { folders: json.folders ?? [f], reports: json.reports };
    } catch (e) { throw new HearthError('wake-pool-read', 'input', `${f} is not a wake-eval --json-out report: ${(e as Error).message}`); }
  });
  const pooled = poolReports(sets.map((s) => s.reports));
  const md = wakeReport(pooled, sets.flatMap((s) => s.folders), config.endpoint.prerollMs);
  process.stdout.write(md);
  if (opts.report) writeFileSync(opts.report, md);
  if (opts.det) process.stdout.write(`DET curve: ${writeDet(pooled, opts.det, 'Hearth wake words: DET')}\n`);
  return 0;
}
