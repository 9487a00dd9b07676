/**
 * The amortized model's household adaptation (`hearth learn --voices`): tools/train/asr/adapt.py, on Debian's
 * python3-torch like the training tools, fine-tunes the model's input projection and output head on the kept turns
 * (every tenth held back) and scores the held-back turns before (the shipped model or the active adaptation) and
 * after: CTC loss per frame and greedy sentences right. Kept, as a version of frontend.onnx and head.onnx under
 * <dataDir>/voices/amortized that the engine loads over the shipped graphs, only when the loss falls and no sentence
 * is lost. Nothing leaves the hub.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { HearthError } from '../../types/errors.js';
import { DEFAULT_MODELS_DIR } from '../../models/manifest.js';
import type { FeedbackSettings } from '../feedback.js';
import type { VoiceTurns } from './kept.js';
import { words } from './sphinxtrain.js';
import { Adaptations, AMORTIZED_ADAPTED } from './versions.js';
import { MIN_VOICE_TURNS, splitHeldBack } from './adapt.js';

const run = promisify(execFile);
export const ADAPT_SCRIPT = join(dirname(DEFAULT_MODELS_DIR), 'tools', 'train', 'asr', 'adapt.py');
const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export interface HeldBackScore { readonly lossPerFrame: number; readonly correct: number; readonly total: number }
export interface AmortizedAdaptReport {
  readonly engine: 'amortized';
  readonly turns: number;
  readonly heldBack: number;
  readonly kept: boolean;
  readonly version?: number;
  readonly before?: HeldBackScore;
  readonly after?: HeldBackScore;
  readonly why: string;
}

export async function adaptAmortized(voices: VoiceTurns, dataDir: string, feedback: FeedbackSettings, o: { minTurns?: number; steps?: number } = {}): Promise<AmortizedAdaptReport> {
  // The model writes letters, spaces and apostrophes: a turn heard with digits has no label it could learn.
  const turns = voices.worked(feedback).filter((t) => /^[a-z' ]+$/.test(words(t.text)));
  const { adapt, heldBack } = splitHeldBack(turns);
  const minTurns = o.minTurns ?? MIN_VOICE_TURNS;
  const base = { engine: 'amortized' as const, turns: turns.length, heldBack: heldBack.length };
  if (turns.length < minTurns) return { ...base, kept: false, why: `${turns.length} turns that worked are kept; at least ${minTurns} are needed` };
  const versions = new Adaptations(dataDir, 'amortized');
  const work = mkdtempSync(join(tmpdir(), 'hearth-voices-amortized-'));
  try {
    // The kept WAVs themselves: nothing is copied.
    const lines = [...adapt.map((t) => `${t.path}\t${words(t.text)}\tadapt`), ...heldBack.map((t) => `${t.path}\t${words(t.text)}\tcheck`)];
    writeFileSync(join(work, 'turns.tsv'), `${lines.join('\n')}\n`);
    const active = versions.activeFile('adapter.pt');
    const out = join(work, 'out');
    let stdout: string;
    try {
      ({ stdout } = await run(PYTHON, [ADAPT_SCRIPT, join(work, 'turns.tsv'), out, ...(active ? ['--active', active] : []), ...(o.steps ? ['--steps', String(o.steps)] : [])],
        { maxBuffer: 16 << 20, timeout: 60 * 60_000 }));
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      const missing = /No module named 'torch'/.test(e.stderr ?? '');
      throw new HearthError(missing ? 'voices-tools-missing' : 'voices-adapt-failed', 'environment',
        missing ? `Adapting the amortized model needs PyTorch: apt-get install python3-torch.` : `${ADAPT_SCRIPT} failed: ${(e.stderr ?? e.message).trim().split('\n').slice(-2).join(' | ')}`);
    }
    const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as { before: HeldBackScore; after: HeldBackScore };
    const better = r.after.lossPerFrame < r.before.lossPerFrame && r.after.correct >= r.before.correct;
    if (!better) return { ...base, kept: false, before: r.before, after: r.after, why: 'not better on the held-back turns than what is active' };
    const { version, dir } = versions.reserve();
    for (const f of [...AMORTIZED_ADAPTED, 'adapter.pt']) copyFileSync(join(out, f), join(dir, f));
    const report: AmortizedAdaptReport = { ...base, kept: true, version, before: r.before, after: r.after, why: 'better on the held-back turns' };
    writeFileSync(join(dir, 'report.json'), `${JSON.stringify(report, null, 1)}\n`);
    versions.activate(version);
    return report;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
