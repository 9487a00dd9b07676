/**
 * Speaker adaptation of pocketsphinx as CMU Sphinx's adaptation recipe does it: sphinxtrain's bw collects the
 * statistics of the kept turns' audio against their words; then either mllr_solve turns them into one affine
 * transform of the model's means per feature stream (MLLR: few parameters, safe with little audio; the addon's `mllr`
 * option), or map_adapt moves each Gaussian's mean toward its share of the audio, weighted against the model's prior
 * (MAP: every mean its own, so it needs more audio and gains more with it; the addon's `mean` option). Runs on the hub,
 * in a work folder; nothing leaves it. Needs Debian's sphinxtrain (apt-get install sphinxtrain).
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HearthError } from '../../types/errors.js';
import { pronunciations, writeDict } from '../../asr/pocketsphinx-dict.js';
import { readSendump, writeMfc, writeMixtureWeights } from './sphinx-files.js';

const run = promisify(execFile);
export const SPHINXTRAIN_DIR = '/usr/lib/sphinxtrain';
const INSTALL = 'apt-get install sphinxtrain';
/** A turn shorter than this (10 ms frames) is left out: no request is said in under 0.3 s. */
const MIN_FRAMES = 30;

export interface SphinxModel { readonly hmm: string; readonly dict: string }
/** A turn's words and its audio, read when wanted (the hub's nightly job holds one turn's audio at a time). */
export interface LabelledAudio { readonly id: string; readonly text: string; audio(): Int16Array }

interface FeatureDecoder { cepstra(samples: Int16Array): { frames: number; ncep: number; data: Float32Array } }
interface Addon { Decoder: (new (o: { hmm: string; dict: string }) => FeatureDecoder) & { writeTextMdef(bin: string, text: string): void } }

function addon(): Addon {
  const mod = createRequire(import.meta.url)('hearth-pocketsphinx-native') as Partial<Addon> & { loadError?: Error };
  if (!mod.Decoder) throw new HearthError('asr-engine-missing', 'environment', `The pocketsphinx addon was not built (${mod.loadError?.message ?? 'unknown'}).`);
  return mod as Addon;
}

/** The model's text mdef and float mixture weights, made once in `dir` (bw reads neither form Debian ships). */
export function trainableModel(model: SphinxModel, dir: string): { mdef: string; mixw: string } {
  mkdirSync(dir, { recursive: true });
  const mdef = join(dir, 'mdef.txt'), mixw = join(dir, 'mixture_weights');
  if (!existsSync(mdef)) addon().Decoder.writeTextMdef(join(model.hmm, 'mdef'), mdef);
  if (!existsSync(mixw)) writeMixtureWeights(mixw, readSendump(join(model.hmm, 'sendump')));
  return { mdef, mixw };
}

/** The model's front-end settings (feat.params) as bw's flags. */
function featureFlags(hmm: string): string[] {
  const params = join(hmm, 'feat.params');
  const out: string[] = [];
  const text = existsSync(params) ? readFileSync(params, 'utf8') : '';
  for (const m of text.matchAll(/^-(feat|svspec|agc|lda|ldadim)\s+(\S+)/gm)) out.push(`-${m[1]}`, m[2]!);
  return out;
}

/** Runs a sphinxtrain tool; returns what it printed (it logs to stderr). */
async function tool(name: string, args: string[]): Promise<string> {
  const bin = join(SPHINXTRAIN_DIR, name);
  if (!existsSync(bin)) throw new HearthError('voices-tools-missing', 'environment', `Adapting pocketsphinx needs ${bin}: ${INSTALL}.`);
  try {
    const r = await run(bin, args, { maxBuffer: 64 << 20, timeout: 30 * 60_000 });
    return `${r.stdout}${r.stderr}`;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    const lines = (e.stderr ?? e.message).split('\n').filter((l) => /ERROR|FATAL/.test(l)).slice(-3).join(' | ');
    throw new HearthError('voices-adapt-failed', 'environment', `${name} failed: ${lines || e.message}`);
  }
}

/** A label as words: lower case, letters, digits and apostrophes. */
export function words(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').trim().replace(/\s+/g, ' ');
}

/** Labelled audio as sphinxtrain reads it, in `dir`: cepstra, file ids, transcription, the words' dictionary. */
export interface Corpus { readonly dir: string; readonly args: readonly string[] }

export function writeCorpus(turns: readonly LabelledAudio[], model: SphinxModel, dir: string): Corpus {
  if (turns.length === 0) throw new HearthError('voices-too-few', 'input', 'No kept turns to adapt to.');
  const cep = join(dir, 'cep');
  mkdirSync(cep, { recursive: true });
  // The turns' words only: a decoder loaded with the whole CMU dictionary takes ~22 MB, in the hub's nightly job.
  writeDict(join(dir, 'words.dict'), pronunciations(model.dict, turns.flatMap((t) => words(t.text).split(' '))));
  const dec = new (addon().Decoder)({ hmm: model.hmm, dict: join(dir, 'words.dict') });
  const ids: string[] = [], lines: string[] = [];
  for (const t of turns) {
    const id = t.id.replace(/[^A-Za-z0-9_-]/g, '_');
    const c = dec.cepstra(t.audio());
    if (c.frames < MIN_FRAMES) continue; // bw waits minutes for a file it cannot read, and an empty one is such a file
    writeMfc(join(cep, `${id}.mfc`), c.data);
    ids.push(id);
    lines.push(`<s> ${words(t.text)} </s> (${id})`);
  }
  if (ids.length === 0) throw new HearthError('voices-too-few', 'input', 'The kept turns hold no audio long enough to adapt to.');
  writeFileSync(join(dir, 'fileids'), `${ids.join('\n')}\n`);
  writeFileSync(join(dir, 'transcription'), `${lines.join('\n')}\n`);
  return { dir, args: ['-dictfn', join(dir, 'words.dict'), '-fdictfn', join(model.hmm, 'noisedict'), '-ctlfn', join(dir, 'fileids'),
    '-lsnfn', join(dir, 'transcription'), '-cepdir', cep, '-cepext', 'mfc'] };
}

/** An adaptation as the decoder loads it: an MLLR transform, or MAP-adapted means. */
export interface SphinxAdaptation { readonly mllr?: string; readonly mean?: string }

/**
 * bw over the corpus: collects the statistics in `<corpus>/acc` and returns the log-likelihood per 10 ms frame of the
 * audio given its words (the forward-backward total, the model's own measure of fit), with `adapted` applied.
 */
export async function baumWelch(corpus: Corpus, model: SphinxModel, baseDir: string, adapted: SphinxAdaptation = {}): Promise<number> {
  const base = trainableModel(model, baseDir);
  const acc = join(corpus.dir, 'acc');
  mkdirSync(acc, { recursive: true });
  const out = await tool('bw', ['-hmmdir', model.hmm, '-moddeffn', base.mdef, '-mixwfn', base.mixw, '-ts2cbfn', '.ptm.', ...featureFlags(model.hmm),
    '-cmn', 'current', ...corpus.args, '-accumdir', acc, ...(adapted.mllr ? ['-mllrmat', adapted.mllr] : []), ...(adapted.mean ? ['-meanfn', adapted.mean] : [])]);
  const m = /overall> stats (\d+) \(-\d+\) (\S+)/.exec(out);
  if (!m || Number(m[1]) === 0) throw new HearthError('voices-adapt-failed', 'environment', 'bw aligned no audio with its words (no frames in its statistics).');
  return Number(m[2]);
}

/** The two ways to adapt, each from the same bw statistics of the turns (written to `work`); returns their files. */
export async function estimateAdaptations(turns: readonly LabelledAudio[], model: SphinxModel, work: string, baseDir: string): Promise<{ mllr: SphinxAdaptation; map: SphinxAdaptation }> {
  const corpus = writeCorpus(turns, model, work);
  await baumWelch(corpus, model, baseDir);
  const acc = join(work, 'acc'), base = trainableModel(model, baseDir);
  const mllr = join(work, 'mllr_matrix');
  await tool('mllr_solve', ['-meanfn', join(model.hmm, 'means'), '-varfn', join(model.hmm, 'variances'), '-outmllrfn', mllr, '-accumdir', acc]);
  // Means only: the variances, weights and transitions map_adapt also writes are left as the model has them.
  const map = join(work, 'map');
  mkdirSync(map, { recursive: true });
  await tool('map_adapt', ['-moddeffn', base.mdef, '-ts2cbfn', '.ptm.', '-meanfn', join(model.hmm, 'means'), '-varfn', join(model.hmm, 'variances'),
    '-mixwfn', base.mixw, '-tmatfn', join(model.hmm, 'transition_matrices'), '-accumdir', acc, '-mapmeanfn', join(map, 'means'),
    '-mapvarfn', join(map, 'variances'), '-mapmixwfn', join(map, 'mixture_weights'), '-maptmatfn', join(map, 'transition_matrices')]);
  return { mllr: { mllr }, map: { mean: join(map, 'means') } };
}
