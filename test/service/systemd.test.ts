/**
 * `hearth run` under systemd's notify protocol, against a real unix datagram socket as NOTIFY_SOCKET (a Python
 * listener: Node cannot bind one): READY=1 with a STATUS once the hub is up; WATCHDOG=1 every half WatchdogSec; no
 * pings while the hub is stalled (SIGSTOP: the process frozen, as a hub stuck in native code would be), so systemd's
 * watchdog kills it and Restart=on-failure starts it again (this test plays systemd's part: kill, start, READY
 * again); SIGTERM: STOPPING=1 and the process gone within 5 s.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../dist/runtime/cli/main.js', import.meta.url));
const listener = fileURLToPath(new URL('./notify-socket.py', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hearth-notify-'));
const socketPath = join(dir, 'notify');
const messages: { atMs: number; message: string }[] = [];
const children: ChildProcess[] = [];
const WATCHDOG_USEC = 400_000;

async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return ok();
}

function startHub(): ChildProcess {
  const hub = spawn(process.execPath, [cli, 'run'], {
    env: { PATH: process.env['PATH'], NOTIFY_SOCKET: socketPath, WATCHDOG_USEC: String(WATCHDOG_USEC), HEARTH__HUBID: 'svc', HEARTH__DEMO: 'false',
      HEARTH__DATADIR: mkdtempSync(join(dir, 'data-')), HEARTH__EMBEDDEDBROKER__PORT: '0', HEARTH__LOG__LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(hub);
  return hub;
}

const count = (m: string, fromMs = 0) => messages.filter((x) => x.atMs >= fromMs && x.message.split('\n').includes(m)).length;

afterAll(() => { for (const c of children) c.kill('SIGKILL'); });

describe('hearth run as a systemd notify service', () => {
  it('says READY, pings the watchdog, goes silent when stalled, is started again, and stops on SIGTERM within 5 s', async () => {
    const py = spawn('python3', [listener, socketPath], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(py);
    let buffered = '';
    py.stdout!.on('data', (b: Buffer) => {
      buffered += b.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const l of lines) { const o = JSON.parse(l) as { atMs?: number; message?: string }; if (o.message !== undefined) messages.push({ atMs: o.atMs!, message: o.message }); }
    });
    expect(await until(() => existsSync(socketPath), 10_000)).toBe(true);

    const first = startHub();
    expect(await until(() => count('READY=1') === 1, 20_000)).toBe(true);
    expect(messages.find((m) => m.message.includes('READY=1'))!.message).toMatch(/STATUS=broker mqtt:\/\/127\.0\.0\.1:\d+, 0 devices/);
    const readyAt = Date.now();
    expect(await until(() => count('WATCHDOG=1', readyAt) >= 4, 5000)).toBe(true); // every 200 ms

    first.kill('SIGSTOP'); // the hub stalls
    const stalledAt = Date.now() + 50;
    await new Promise((r) => setTimeout(r, 3 * (WATCHDOG_USEC / 1000)));
    expect(count('WATCHDOG=1', stalledAt)).toBe(0); // systemd's WatchdogSec passes without a ping: it kills the hub
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));

    const second = startHub(); // Restart=on-failure
    expect(await until(() => count('READY=1') === 2, 20_000)).toBe(true);
    const termAt = Date.now();
    second.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => second.once('exit', (c) => r(c)));
    expect(Date.now() - termAt).toBeLessThan(5000);
    expect(code).toBe(0);
    expect(count('STOPPING=1')).toBe(1);
  }, 60_000);
});
