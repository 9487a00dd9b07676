/**
 * The natural-speech set (../shared/datasets/natural-speech): real people's recordings listed in manifest.tsv
 * (id, category wake|commands|negatives, file, said, ...) and the home they talk about in home.yaml (scenario
 * format: the broker's messages, the areas, the hub's area and PIN). `hearth asr-eval` and `hearth wake-eval`
 * read it as it is, so every speech default is decided on it. For measuring only: never train on it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HearthError } from '../../runtime/types/errors.js';
import { parse as parseYaml } from 'yaml';

export type NaturalCategory = 'wake' | 'commands' | 'negatives';
export interface NaturalClip {
  readonly id: string;
  readonly category: NaturalCategory;
  /** Absolute path of the WAV file. */
  readonly audio: string;
  /** What is said: the exact text of a request, the wake phrase, or a description of a negative. */
  readonly said: string;
}
export interface NaturalHome {
  readonly messages: readonly { topic: string; payload: unknown }[];
  readonly areas: Readonly<Record<string, string>>;
  readonly area?: string;
  readonly pin?: string;
}
export interface NaturalSet { readonly folder: string; readonly clips: readonly NaturalClip[]; readonly home: NaturalHome }

const CATEGORIES: ReadonlySet<string> = new Set(['wake', 'commands', 'negatives']);

/** The manifest's path when `path` is a natural-speech folder or its manifest.tsv, else undefined. */
export function naturalManifest(path: string): string | undefined {
  if (basename(path) === 'manifest.tsv' && existsSync(path)) return path;
  const inside = join(path, 'manifest.tsv');
  return existsSync(path) && statSync(path).isDirectory() && existsSync(inside) ? inside : undefined;
}

export function readNaturalSet(path: string): NaturalSet {
  const manifest = naturalManifest(path);
  if (!manifest) throw new HearthError('natural-set-missing', 'input', `${path} is not a natural-speech folder (no manifest.tsv in it).`);
  const folder = dirname(manifest);
  const lines = readFileSync(manifest, 'utf8').split('\n').filter((l) => l.trim());
  const head = lines[0]!.split('\t');
  const col = (name: string) => {
    const i = head.indexOf(name);
    if (i < 0) throw new HearthError('natural-set-manifest', 'input', `${manifest}: no "${name}" column in the header.`);
    return i;
  };
  const [id, category, file, said] = [col('id'), col('category'), col('file'), col('said')];
  const clips = lines.slice(1).map((line, k): NaturalClip => {
    const c = line.split('\t');
    if (!CATEGORIES.has(c[category] ?? '')) throw new HearthError('natural-set-manifest', 'input', `${manifest} line ${k + 2}: category "${c[category]}" is not wake, commands or negatives.`);
    return { id: c[id]!, category: c[category] as NaturalCategory, audio: join(folder, c[file]!), said: c[said] ?? '' };
  });
  const homeFile = join(folder, 'home.yaml');
  let spec: { home?: { topic: string; payload: unknown }[]; areas?: Record<string, string>; hub?: { area?: string; pin?: string | number } } = {};
  try {
    if (existsSync(homeFile)) spec = (parseYaml(readFileSync(homeFile, 'utf8')) ?? {}) as typeof spec;
  } catch (err) { throw new HearthError('natural-set-home', 'input', `${homeFile}: ${(err as Error).message}`); }
  return {
    folder, clips,
    home: { messages: spec.home ?? [], areas: spec.areas ?? {}, ...(spec.hub?.area ? { area: spec.hub.area } : {}), ...(spec.hub?.pin ? { pin: String(spec.hub.pin) } : {}) },
  };
}

/** The configured wake word a wake clip says ("hey jarvis" -> hey_jarvis). */
export const wakeWordOf = (said: string) => said.trim().toLowerCase().replace(/\s+/g, '_');
