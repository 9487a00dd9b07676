/**
 * systemd's notify protocol for `Type=notify` units (sd_notify(3)): READY=1 once the hub is up, STATUS= lines,
 * WATCHDOG=1 at half of WatchdogSec while the event loop runs (a hub stuck in a loop, or in native code, stops
 * pinging and systemd restarts it), STOPPING=1 on the way out. Node cannot send on a unix datagram socket, so the
 * messages go through unix-dgram (an optional dependency: a small maintained native module by a Node.js core
 * developer; a few lines of C of our own would be the same code with no one else testing it). Without
 * NOTIFY_SOCKET (not under systemd) every call does nothing.
 */
import { createRequire } from 'node:module';
import type { Logger } from '../log.js';
import { HearthError } from '../types/errors.js';

interface DgramSocket {
  send(buf: Buffer, offset: number, length: number, path: string, callback?: (err?: Error) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  close(): void;
}

export class SystemdNotifier {
  private socket: DgramSocket | undefined;
  private watchdog: NodeJS.Timeout | undefined;

  private constructor(private readonly path: string | undefined, private readonly watchdogUs: number | undefined, private readonly log: Logger) {}

  /** From the environment systemd gives the service: NOTIFY_SOCKET, WATCHDOG_USEC and WATCHDOG_PID. */
  static fromEnv(env: NodeJS.ProcessEnv, log: Logger): SystemdNotifier {
    const path = env['NOTIFY_SOCKET'] || undefined;
    const usec = Number(env['WATCHDOG_USEC']);
    const forUs = !env['WATCHDOG_PID'] || Number(env['WATCHDOG_PID']) === process.pid;
    const n = new SystemdNotifier(path, Number.isFinite(usec) && usec > 0 && forUs ? usec : undefined, log);
    if (path) n.open();
    return n;
  }

  get active(): boolean {
    return this.socket !== undefined;
  }

  private open(): void {
    if (this.path!.startsWith('@')) {
      this.log.error({ code: 'systemd-notify-unsupported', socket: this.path }, 'NOTIFY_SOCKET is an abstract socket, which unix-dgram cannot reach; systemd will not hear READY');
      return;
    }
    try {
      const dgram = createRequire(import.meta.url)('unix-dgram') as { createSocket(type: 'unix_dgram'): DgramSocket };
      this.socket = dgram.createSocket('unix_dgram');
      this.socket.on('error', (err) => this.log.warn({ code: 'systemd-notify-failed', err: err.message }, 'a message to systemd was not sent'));
    } catch (err) {
      const e = new HearthError('systemd-notify-missing', 'environment', `Running under systemd (NOTIFY_SOCKET is set) but the unix-dgram module did not build (${(err as Error).message}); run "npm ci" with a compiler installed (tools/install.sh does).`);
      this.log.error({ code: e.code }, e.message);
    }
  }

  /** Sends one message ("READY=1", "STATUS=..."); resolves when it left. */
  send(state: string): Promise<void> {
    const s = this.socket;
    if (!s) return Promise.resolve();
    const buf = Buffer.from(state, 'utf8');
    return new Promise((resolve) => s.send(buf, 0, buf.length, this.path!, (err) => {
      if (err) this.log.warn({ code: 'systemd-notify-failed', err: err.message }, `could not tell systemd ${state.split('=')[0]}`);
      resolve();
    }));
  }

  /** The hub is up: READY, its status, and the watchdog pings from now on. */
  async ready(status: string): Promise<void> {
    await this.send(`READY=1\nSTATUS=${status}\nMAINPID=${process.pid}`);
    if (this.watchdogUs && this.socket) {
      const everyMs = Math.max(50, Math.floor(this.watchdogUs / 2000));
      this.watchdog = setInterval(() => { void this.send('WATCHDOG=1'); }, everyMs);
      this.watchdog.unref();
    }
  }

  async stopping(): Promise<void> {
    if (this.watchdog) clearInterval(this.watchdog);
    await this.send('STOPPING=1');
  }

  close(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.socket?.close();
    this.socket = undefined;
  }
}
