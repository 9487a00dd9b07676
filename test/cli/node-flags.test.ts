/**
 * The hub runs with the same Node.js flags however it is started: the `hearth` command itself (its first line, which
 * the shell runs), `npm start` and the systemd unit. The peak memory the benches measure depends on them.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { HUB_NODE_FLAGS } from '../../runtime/cli/node-flags.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (f: string) => readFileSync(join(root, f), 'utf8');

describe('the hub\'s Node.js flags', () => {
  it('are on every way of starting it', () => {
    const starts = {
      'the hearth command': read('dist/runtime/cli/main.js').split('\n')[0]!,
      'npm start': (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start']!,
      'the systemd unit': read('tools/systemd/hearth.service').split('\n').find((l) => l.startsWith('ExecStart='))!,
    };
    for (const [how, line] of Object.entries(starts)) for (const flag of HUB_NODE_FLAGS) expect(`${how}: ${line}`).toContain(flag);
  });

  it('the first line of the hearth command starts Node.js with them', async () => {
    // The command as npm links it: the file itself, executable, run by the kernel through its first line. A script
    // with the same first line prints the flags Node.js was started with.
    const dir = mkdtempSync(join(tmpdir(), 'hearth-shebang-'));
    const script = join(dir, 'probe.mjs');
    const shebang = read('dist/runtime/cli/main.js').split('\n')[0]!;
    writeFileSync(script, `${shebang}\nprocess.stdout.write(JSON.stringify(process.execArgv));\n`);
    chmodSync(script, 0o755);
    const { stdout } = await promisify(execFile)(script, [], { timeout: 15000 });
    expect(JSON.parse(stdout)).toEqual([...HUB_NODE_FLAGS]);
  });
});
