/**
 * `hearth nlu-eval | asr-eval | wake-eval`: the evaluation commands. They live in tools/ (a hub does not need them);
 * the CLI finds this module beside itself in a checkout (runtime/cli/eval-commands.ts) and says so when it is absent.
 */
import type { HearthConfig } from '../../runtime/config/config.js';
import { HearthError } from '../../runtime/types/errors.js';
import { createLogger } from '../../runtime/log.js';
import type { Args } from '../../runtime/cli/args.js';
import { asrEval } from './asr-command.js';
import { wakeEval, wakePool } from './wake-command.js';
import { evalHa } from './nlu/ha.js';
import { evalSlurp } from './nlu/slurp.js';

export const EVAL_COMMANDS = ['nlu-eval', 'asr-eval', 'wake-eval'] as const;

export async function runEval(command: string, args: Args, config: () => HearthConfig, out: (line: string) => void): Promise<number> {
  const flag = (k: string) => (typeof args.flags[k] === 'string' ? args.flags[k] as string : undefined);
  switch (command) {
    case 'nlu-eval': {
      const [kind, path] = args.positional;
      if (!path || (kind !== 'ha' && kind !== 'slurp')) throw new HearthError('cli-usage', 'config', 'Usage: hearth nlu-eval ha <folder> | hearth nlu-eval slurp <file.jsonl>');
      const report = kind === 'ha' ? evalHa(path) : evalSlurp(path);
      for (const f of report.failures) out(`FAIL ${f.file}: "${f.sentence}" -> ${f.why}`);
      const total = report.passed + report.failed;
      out(`accuracy ${(100 * report.passed / Math.max(1, total)).toFixed(1)}% of ${total}`);
      out(`${report.passed} passed (${report.byTemplates} read by Hearth's templates, runtime/nlu/sentences/en.yaml; the rest by the rules), ${report.failed} failed`);
      return 0;
    }
    case 'asr-eval': return asrEval(config(), args.positional[0], flag('engine'), flag('curve'), out);
    case 'wake-eval': {
      const folders = args.positional;
      if (folders.length === 0) throw new HearthError('cli-usage', 'config', 'Usage: hearth wake-eval <folder>... [--det det.png] [--report report.md] [--json-out report.json] [--asr-check [--shifts-ms 0,20,40]], or hearth wake-eval --pool <report.json>... [--det det.png] [--report report.md]');
      const str = (k: string) => (flag(k) !== undefined ? { [k]: flag(k)! } : {});
      if (args.flags['pool'] === true) return wakePool(config(), folders, { ...str('det'), ...str('report') });
      return wakeEval(config(), folders, { ...str('det'), ...str('report'), ...str('json-out'), ...(args.flags['asr-check'] === true ? { asrCheck: true } : {}), ...(flag('shifts-ms') ? { shiftsMs: shiftsOf(flag('shifts-ms')!) } : {}) }, createLogger('warn'));
    }
    default: throw new HearthError('cli-usage', 'config', `${command} is not an evaluation command (${EVAL_COMMANDS.join(', ')}).`);
  }
}

function shiftsOf(list: string): number[] {
  const ms = list.split(',').map(Number);
  if (ms.some((v) => !Number.isFinite(v) || v < 0)) throw new HearthError('cli-usage', 'config', `--shifts-ms takes milliseconds separated by commas (0,20,40), not "${list}".`);
  return ms;
}
