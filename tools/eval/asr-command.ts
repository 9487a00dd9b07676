/**
 * `hearth asr-eval <manifest.jsonl> [--engine id] [--curve out.png]`: WER, sentence errors, rejection,
 * real-time factor and compute skipped per engine, side by side. With --curve, the amortized engine
 * is run again at several arbitrator thresholds (the compute knob) and WER against compute skipped is
 * drawn (PNG with rsvg-convert, else SVG).
 */
import type { HearthConfig } from '../../runtime/config/config.js';
import { HearthError } from '../../runtime/types/errors.js';
import { ASR_ENGINES, asrSettingsOf, createAsrEngine, type AsrSettings } from '../../runtime/asr/engines.js';
import { evaluateAsr, manifestHome, readManifest, type AsrEvalReport } from './asr.js';
import type { HomeWords } from '../../runtime/asr/engine.js';
import { homeWordsFromHub } from '../../runtime/cli/hub-client.js';
import { curveSvg, type CurvePoint } from './curve-svg.js';
import { writeImage } from './det-svg.js';
import { naturalManifest, readNaturalSet } from './natural-set.js';
import { confirmGate } from '../../runtime/asr/uncertain.js';
import { evaluateNatural, naturalHub, naturalReport, type NaturalAsrReport } from './asr-natural.js';

/** Thresholds for the curve: 0 runs every block (the reference the trade is measured against). */
export const CURVE_THRESHOLDS = [0, 0.3, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98];

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;

async function run(id: string, home: HomeWords, settings: AsrSettings, items: ReturnType<typeof readManifest>): Promise<AsrEvalReport> {
  const engine = createAsrEngine(id, home, settings);
  try { return await evaluateAsr(engine, items); } finally { await engine.stop(); }
}

const row = (label: string, r: AsrEvalReport) => `| ${label} | ${r.utterances} | ${pct(r.wordErrors, r.referenceWords)} | ${r.sentenceErrors}/${r.commands} (${pct(r.sentenceErrors, r.commands)}) | `
  + `${r.falseRejects}/${r.commands} | ${r.falseAccepts}/${r.nonCommands} | ${(r.processMs / Math.max(1, r.audioMs)).toFixed(4)} | ${(r.skippedShare * 100).toFixed(1)}% |`;

export async function asrEval(config: HearthConfig, manifest: string | undefined, engineId: string | undefined, curve: string | undefined, out: (s: string) => void): Promise<number> {
  if (!manifest) throw new HearthError('cli-usage', 'config', 'Usage: hearth asr-eval <manifest.jsonl | natural-speech folder> [--engine id] [--curve out.png]');
  if (naturalManifest(manifest)) return asrEvalNatural(config, manifest, engineId, curve, out);
  const items = readManifest(manifest);
  const home = manifestHome(manifest) ?? await homeWordsFromHub(config);
  const settings = asrSettingsOf(config);
  out('| engine | utterances | WER | sentence errors | commands rejected | non-commands accepted | real-time factor | compute skipped |');
  out('|---|---|---|---|---|---|---|---|');
  let sentences = 0, errors = 0;
  for (const id of engineId ? [engineId] : Object.keys(ASR_ENGINES)) {
    const r = await run(id, home, settings, items);
    out(row(id, r));
    sentences += r.commands;
    errors += r.sentenceErrors;
  }
  if (curve) {
    out('');
    out('| amortized, arbitrator threshold | utterances | WER | sentence errors | commands rejected | non-commands accepted | real-time factor | compute skipped |');
    out('|---|---|---|---|---|---|---|---|');
    const points: CurvePoint[] = [];
    for (const threshold of CURVE_THRESHOLDS) {
      const r = await run('amortized', home, { ...settings, amortizedThreshold: threshold }, items);
      out(row(String(threshold), r));
      points.push({ threshold, skipped: r.skippedShare, wer: r.wordErrors / Math.max(1, r.referenceWords) });
    }
    out(`curve: ${writeImage(curveSvg(points, `amortized ASR: WER vs compute skipped (${items.length} utterances)`), curve)}`);
  }
  out(`${sentences - errors} passed, ${errors} failed`);
  return 0;
}

/** The natural-speech set: every engine (or the one named) against the same hub; closes with the doable requests' count of the configured engine (or the one named). */
async function asrEvalNatural(config: HearthConfig, folder: string, engineId: string | undefined, curve: string | undefined, out: (s: string) => void): Promise<number> {
  const set = readNaturalSet(folder);
  const { hub, stop } = await naturalHub(set, config);
  const reports: NaturalAsrReport[] = [];
  const points: CurvePoint[] = [];
  try {
    for (const id of engineId ? [engineId] : Object.keys(ASR_ENGINES)) reports.push(await evaluateNatural(set, id, asrSettingsOf(config), hub, confirmGate(config.asr, id)));
    if (curve) {
      // The amortized model's knob on real voices: WER of the doable requests against the block compute skipped.
      out('| amortized, arbitrator threshold | doable requests: same turn | WER | other clips accepted | real-time factor | compute skipped |');
      out('|---|---|---|---|---|---|');
      for (const threshold of CURVE_THRESHOLDS) {
        const r = await evaluateNatural(set, 'amortized', { ...asrSettingsOf(config), amortizedThreshold: threshold }, hub, confirmGate(config.asr, 'amortized'));
        out(`| ${threshold} | ${r.sameTurn}/${r.doable} | ${pct(r.wordErrors, r.referenceWords)} | ${r.accepted}/${r.others} | ${(r.processMs / Math.max(1, r.audioMs)).toFixed(4)} | ${(r.skippedShare * 100).toFixed(1)}% |`);
        points.push({ threshold, skipped: r.skippedShare, wer: r.wordErrors / Math.max(1, r.referenceWords) });
      }
      out(`curve: ${writeImage(curveSvg(points, `amortized ASR on real voices: WER vs compute skipped (${set.clips.length} clips)`), curve)}`);
    }
  } finally { await stop(); }
  out(naturalReport(set, reports));
  const main = reports.find((r) => r.engine === config.asr.engine) ?? reports[0]!;
  out(`${main.engine}: ${main.sameTurn} passed, ${main.doable - main.sameTurn} failed`);
  return 0;
}
