/**
 * The evaluation commands (`nlu-eval`, `asr-eval`, `wake-eval`) are development tools in tools/eval, which runtime/
 * never imports: the CLI loads them by path when asked, from dist/tools/eval beside dist/runtime in a checkout.
 */
import type { HearthConfig } from '../config/config.js';
import { HearthError } from '../types/errors.js';
import type { Args } from './args.js';

export const EVAL_COMMAND_NAMES: ReadonlySet<string> = new Set(['nlu-eval', 'asr-eval', 'wake-eval']);

interface EvalModule { runEval(command: string, args: Args, config: () => HearthConfig, out: (line: string) => void): Promise<number> }

export async function runEvalCommand(command: string, args: Args, config: () => HearthConfig, out: (line: string) => void): Promise<number> {
  const where = new URL('../../tools/eval/commands.js', import.meta.url);
  let mod: EvalModule;
  try {
    mod = (await import(where.href)) as EvalModule;
  } catch (err) {
    throw new HearthError('eval-tools-missing', 'environment', `hearth ${command} needs the evaluation tools (tools/eval), which come with a checkout of the repository and "npm run build"; not found at ${where.pathname} (${(err as Error).message}).`);
  }
  return mod.runEval(command, args, config, out);
}
