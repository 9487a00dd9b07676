/**
 * `hearth transcribe [--engine moonshine|pocketsphinx|amortized] <file.wav> [--json]`: the final text (with --json the
 * partials, timings and compute). The grammar's home words come from the running hub when there is
 * one, else from the config's areas and aliases.
 */
import type { HearthConfig } from '../config/config.js';
import { HearthError } from '../types/errors.js';
import { readWav16k } from '../audio/wav.js';
import { Framer } from '../audio/framer.js';
import { asrSettingsOf, createAsrEngine } from '../asr/engines.js';
import { homeWordsFromHub } from './hub-client.js';

export async function transcribe(config: HearthConfig, file: string | undefined, engineId: string, json: boolean, out: (s: string) => void): Promise<number> {
  if (!file) throw new HearthError('cli-usage', 'config', 'Usage: hearth transcribe [--engine moonshine|pocketsphinx|amortized] <file.wav> [--json]');
  const { samples } = readWav16k(file);
  const engine = createAsrEngine(engineId, await homeWordsFromHub(config), asrSettingsOf(config));
  const stream = engine.start();
  const framer = new Framer();
  const partials: { atMs: number; text: string }[] = [];
  for (const f of [...framer.push(samples), ...framer.flush()]) {
    const p = await stream.push(f);
    if (p && p !== partials.at(-1)?.text) partials.push({ atMs: f.startMs, text: p });
  }
  const t = await stream.finish();
  await engine.stop();
  out(json ? JSON.stringify({ ...t, partials }, null, 2) : (t.rejected || t.hypotheses.length === 0 ? '(not a command)' : t.hypotheses[0]!.text));
  return 0;
}
