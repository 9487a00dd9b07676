/**
 * The CLI on bad input (issue: a messy, hostile home), run as a user runs it (the built CLI in a child process): each
 * case ends at once with a clear message and exit code 2, no stack trace, no hang, no "is the hub running?" for text
 * the hub would have dropped.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const cli = fileURLToPath(new URL('../../dist/runtime/cli/main.js', import.meta.url));
const run = promisify(execFile);

async function hearth(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [cli, ...args], { env: { PATH: process.env['PATH'], ...env }, timeout: 20000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string; killed?: boolean };
    return { code: e.killed ? -1 : e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('the CLI on bad input', () => {
  it('the embedded broker\'s port is taken: the hub says so and exits (it used to hang)', async () => {
    const busy = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => busy.once('listening', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = await hearth({ HEARTH__EMBEDDEDBROKER__PORT: String(port), HEARTH__DATADIR: mkdtempSync(join(tmpdir(), 'hearth-busy-')) }, 'run');
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`could not listen on 127.0.0.1:${port} (EADDRINUSE)`);
    } finally { busy.close(); }
  }, 30000);

  it('say with blank or over-long text names the problem instead of waiting for a hub that drops it', async () => {
    const blank = await hearth({ HEARTH__EMBEDDEDBROKER__PORT: '1' }, 'say', '   ');
    expect(blank).toMatchObject({ code: 2, stderr: expect.stringContaining('the text was empty') });
    const long = await hearth({ HEARTH__EMBEDDEDBROKER__PORT: '1' }, 'say', 'a'.repeat(10_000));
    expect(long).toMatchObject({ code: 2, stderr: 'hearth: The text is 10000 characters; the hub takes at most 1000. [say-too-long]\n' });
  }, 30000);

  it('scenarios with a missing file: one line naming it, no stack trace', async () => {
    const r = await hearth({}, 'scenarios', '/nonexistent/scenario.yaml');
    expect(r).toMatchObject({ code: 2, stderr: 'hearth: /nonexistent/scenario.yaml: no such scenario file or folder. [scenario-missing]\n' });
  }, 30000);
});
