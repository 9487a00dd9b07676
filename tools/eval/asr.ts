/**
 * ASR accuracy on a manifest (JSON lines {"audio": path, "text": reference}; an empty reference is
 * speech that is not a command and should be rejected): word error rate, sentence error rate,
 * real-time factor, and the rejection rates, per engine. Paths are relative to the manifest.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, isAbsolute } from 'node:path';
import { HearthError } from '../../runtime/types/errors.js';
import { normalize } from '../../runtime/nlu/normalize.js';
import { Framer } from '../../runtime/audio/framer.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import type { AsrEngine, HomeWords } from '../../runtime/asr/engine.js';

export interface AsrEvalReport {
  readonly engine: string;
  readonly utterances: number;
  readonly wordErrors: number;
  readonly referenceWords: number;
  readonly sentenceErrors: number;
  readonly commands: number;
  /** Commands the engine rejected as not-a-command. */
  readonly falseRejects: number;
  readonly nonCommands: number;
  /** Non-commands the engine took for a command. */
  readonly falseAccepts: number;
  readonly audioMs: number;
  readonly processMs: number;
  /** Share of block compute the engine skipped, over all the audio (engines that skip nothing: 0). */
  readonly skippedShare: number;
}

export function readManifest(path: string): { audio: string; text: string }[] {
  let raw: string;
  try { raw = readFileSync(path, 'utf8'); } catch (err) { throw new HearthError('asr-eval-manifest', 'input', `${path}: ${(err as Error).message}`); }
  return raw.split('\n').filter((l) => l.trim()).map((l, i) => {
    const o = JSON.parse(l) as { audio?: unknown; text?: unknown };
    if (typeof o.audio !== 'string' || typeof o.text !== 'string') throw new HearthError('asr-eval-manifest', 'input', `${path} line ${i + 1}: needs "audio" and "text" strings`);
    return { audio: isAbsolute(o.audio) ? o.audio : join(dirname(path), o.audio), text: o.text };
  });
}

/** home.json beside the manifest ({names, areas}): the home the recordings talk about. */
export function manifestHome(path: string): HomeWords | undefined {
  const p = join(dirname(path), 'home.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as HomeWords) : undefined;
}

/** Word-level edit distance. */
export function wordErrors(ref: string, hyp: string): number {
  const a = ref.split(' ').filter(Boolean), b = hyp.split(' ').filter(Boolean);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

export async function evaluateAsr(engine: AsrEngine, items: readonly { audio: string; text: string }[]): Promise<AsrEvalReport> {
  let we = 0, rw = 0, se = 0, cmds = 0, fr = 0, non = 0, fa = 0, audioMs = 0, processMs = 0, skippedMs = 0;
  for (const item of items) {
    const s = engine.start();
    const framer = new Framer();
    for (const f of [...framer.push(readWav16k(item.audio).samples), ...framer.flush()]) await s.push(f);
    const t = await s.finish();
    audioMs += t.computeStats.audioMs;
    processMs += t.computeStats.processMs;
    skippedMs += (t.computeStats.skippedShare ?? 0) * t.computeStats.audioMs;
    const ref = normalize(item.text);
    const hyp = t.rejected ? '' : normalize(t.hypotheses[0]?.text ?? '');
    if (ref === '') { non++; if (hyp !== '') fa++; continue; }
    cmds++;
    if (hyp === '') fr++;
    const e = wordErrors(ref, hyp);
    we += e;
    rw += ref.split(' ').length;
    if (e > 0) se++;
  }
  return { engine: engine.id, utterances: items.length, wordErrors: we, referenceWords: rw, sentenceErrors: se, commands: cmds, falseRejects: fr, nonCommands: non, falseAccepts: fa, audioMs, processMs, skippedShare: audioMs > 0 ? skippedMs / audioMs : 0 };
}
