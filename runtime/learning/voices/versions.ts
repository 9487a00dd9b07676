/**
 * Versions of an engine's household adaptation under <dataDir>/voices/<engine>: v<N>/ holds one adaptation and its
 * report, state.json which is active and the ones before it (a stack: a rollback returns to the one below, or to the
 * model as shipped). Written whole and renamed into place, so a crash leaves the old state.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HearthError } from '../../types/errors.js';
import type { Logger } from '../../log.js';
import { createAsrEngine, type AsrSettings } from '../../asr/engines.js';
import type { AsrEngine, HomeWords } from '../../asr/engine.js';
import { voicesDir } from './kept.js';
import { sameShapeMeans } from './sphinx-files.js';
import { DEBIAN_MODEL } from '../../asr/pocketsphinx.js';

export const MLLR_FILE = 'mllr_matrix';
export const MEANS_FILE = 'means';
/** The amortized model's graphs an adaptation replaces. */
export const AMORTIZED_ADAPTED = ['frontend.onnx', 'head.onnx'] as const;
/** Versions kept on disk: the active one and two to roll back to (each is a transform or a copy of the means, < 1 MB). */
export const VERSIONS_KEPT = 3;

interface State { readonly next: number; readonly stack: readonly number[] }

export class Adaptations {
  readonly dir: string;
  constructor(dataDir: string, readonly engine: string) {
    this.dir = join(voicesDir(dataDir), engine);
  }

  private state(): State {
    const f = join(this.dir, 'state.json');
    if (!existsSync(f)) return { next: 1, stack: [] };
    try {
      const s = JSON.parse(readFileSync(f, 'utf8')) as State;
      if (typeof s.next !== 'number' || !Array.isArray(s.stack)) throw new Error('not {next, stack}');
      return s;
    } catch (err) {
      throw new HearthError('voices-state-unreadable', 'environment', `${f} is unreadable (${(err as Error).message}); remove it to go back to the model as shipped.`);
    }
  }

  private save(s: State): void {
    mkdirSync(this.dir, { recursive: true });
    const f = join(this.dir, 'state.json');
    writeFileSync(`${f}.tmp`, `${JSON.stringify(s)}\n`);
    renameSync(`${f}.tmp`, f);
  }

  /** The active version, or undefined for the model as shipped. */
  active(): number | undefined {
    return this.state().stack.at(-1);
  }

  /** A file of the active version (undefined: none active, or the file is gone). */
  activeFile(name: string): string | undefined {
    const v = this.active();
    const f = v === undefined ? undefined : join(this.versionDir(v), name);
    return f && existsSync(f) ? f : undefined;
  }

  versionDir(v: number): string {
    return join(this.dir, `v${v}`);
  }

  /** A folder for a new candidate; it becomes active only through activate(). */
  reserve(): { version: number; dir: string } {
    const s = this.state();
    this.save({ ...s, next: s.next + 1 });
    const dir = this.versionDir(s.next);
    mkdirSync(dir, { recursive: true });
    return { version: s.next, dir };
  }

  activate(v: number): void {
    const s = this.state();
    const stack = [...s.stack.filter((x) => x !== v), v];
    this.save({ ...s, stack: stack.slice(-VERSIONS_KEPT) });
    for (const old of stack.slice(0, -VERSIONS_KEPT)) rmSync(this.versionDir(old), { recursive: true, force: true });
  }

  /** Back to the version before the active one (or the model as shipped); returns what is active now. */
  rollback(): { from: number | undefined; to: number | undefined } {
    const s = this.state();
    const from = s.stack.at(-1);
    const stack = s.stack.slice(0, -1);
    this.save({ ...s, stack });
    if (from !== undefined) rmSync(this.versionDir(from), { recursive: true, force: true }); // undone: nothing leads back to it
    return { from, to: stack.at(-1) };
  }
}

/**
 * The active adaptation of `engine` as its settings take it ({} for the model as shipped): what the hub loads at start.
 * An unreadable state is said and taken as none.
 */
export function adaptationSettings(engine: string, dataDir: string, log?: Logger): Pick<AsrSettings, 'pocketsphinxAdaptation' | 'amortizedAdaptation'> {
  try {
    if (engine === 'pocketsphinx') {
      const a = new Adaptations(dataDir, 'pocketsphinx');
      const mllr = a.activeFile(MLLR_FILE), mean = a.activeFile(MEANS_FILE);
      if (mean && !sameShapeMeans(mean, join(DEBIAN_MODEL.hmm, 'means'))) throw new HearthError('voices-adaptation-damaged', 'environment', `${mean} is damaged.`);
      return mllr || mean ? { pocketsphinxAdaptation: { ...(mllr ? { mllr } : {}), ...(mean ? { mean } : {}) } } : {};
    }
    if (engine === 'amortized') {
      const a = new Adaptations(dataDir, 'amortized');
      const files = Object.fromEntries(AMORTIZED_ADAPTED.flatMap((f) => { const p = a.activeFile(f); return p ? [[f, p]] : []; }));
      return Object.keys(files).length > 0 ? { amortizedAdaptation: files } : {};
    }
  } catch (err) {
    log?.error({ code: err instanceof HearthError ? err.code : 'voices-state-unreadable' }, `${(err as Error).message} The ${engine} engine runs as shipped.`);
  }
  return {};
}

/**
 * The engine with the household's adaptation when one is active. One that cannot be loaded (a damaged file) costs the
 * adaptation, never the listening: it is said, and the model as shipped runs.
 */
export function createAdaptedAsr(engine: string, home: HomeWords, settings: AsrSettings, dataDir: string, log: Logger): AsrEngine {
  const adapted = adaptationSettings(engine, dataDir, log);
  if (Object.keys(adapted).length === 0) return createAsrEngine(engine, home, settings);
  try {
    const asr = createAsrEngine(engine, home, { ...settings, ...adapted });
    log.info({ code: 'asr-adapted', ...adapted }, `${engine} runs with this household's voice adaptation (hearth learn --voices --rollback undoes it)`);
    return asr;
  } catch (err) {
    log.error({ code: 'asr-adaptation-failed', err: (err as Error).message }, `The ${engine} voice adaptation cannot be loaded; the model as shipped runs (hearth learn --voices --rollback drops it).`);
    return createAsrEngine(engine, home, settings);
  }
}

/** The active pocketsphinx adaptation as the decoder loads it ({} for the model as shipped). */
export function activeAdaptation(dataDir: string, log?: Logger): { mllr?: string; mean?: string } {
  return adaptationSettings('pocketsphinx', dataDir, log).pocketsphinxAdaptation ?? {};
}
