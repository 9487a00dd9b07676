/** `hearth asr-eval <manifest.jsonl> [--engine id]`: WER, sentence errors, rejection and RTF per engine, side by side. */
import type { HearthConfig } from '../config/config.js';
import { HearthError } from '../types/errors.js';
import { ASR_ENGINES, asrSettingsOf, createAsrEngine } from '../asr/engines.js';
import { evaluateAsr, manifestHome, readManifest } from '../asr/eval.js';
import { homeWordsFromHub } from './hub-client.js';

export async function asrEval(config: HearthConfig, manifest: string | undefined, engineId: string | undefined, out: (s: string) => void): Promise<number> {
  if (!manifest) throw new HearthError('cli-usage', 'config', 'Usage: hearth asr-eval <manifest.jsonl> [--engine id]');
  const items = readManifest(manifest);
  const home = manifestHome(manifest) ?? await homeWordsFromHub(config);
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  out('| engine | utterances | WER | sentence errors | commands rejected | non-commands accepted | real-time factor |');
  out('|---|---|---|---|---|---|---|');
  let sentences = 0, errors = 0;
  for (const id of engineId ? [engineId] : Object.keys(ASR_ENGINES)) {
    const engine = createAsrEngine(id, home, asrSettingsOf(config));
    const r = await evaluateAsr(engine, items);
    await engine.stop();
    out(`| ${id} | ${r.utterances} | ${pct(r.wordErrors, r.referenceWords)} | ${r.sentenceErrors}/${r.commands} (${pct(r.sentenceErrors, r.commands)}) | ${r.falseRejects}/${r.commands} | ${r.falseAccepts}/${r.nonCommands} | ${(r.processMs / Math.max(1, r.audioMs)).toFixed(4)} |`);
    sentences += r.commands;
    errors += r.sentenceErrors;
  }
  out(`${sentences - errors} passed, ${errors} failed`);
  return 0;
}
