/**
 * A real Mosquitto for the reliability tests, started as CI starts it (`mosquitto -p PORT` on loopback), that a test
 * can kill -9 and start again on the same port: the broker going away is what these tests are about.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import mqtt from 'mqtt';

export interface Mosquitto { readonly url: string; kill(): Promise<void>; start(): Promise<void> }

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const a = s.address(); s.close(() => resolve(typeof a === 'object' && a ? a.port : 0)); });
    s.on('error', reject);
  });
}

export async function startMosquitto(): Promise<Mosquitto> {
  try { execFileSync('sh', ['-c', 'command -v mosquitto'], { stdio: 'ignore' }); } catch {
    throw new Error('These tests run a real Mosquitto: apt-get install mosquitto (.ci/run does). They start their own on a free port.');
  }
  const port = await freePort();
  const url = `mqtt://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  const start = async () => {
    proc = spawn('mosquitto', ['-p', String(port)], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        const c = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 500 });
        await c.endAsync();
        return;
      } catch { await new Promise((r) => setTimeout(r, 50)); }
    }
    throw new Error(`mosquitto on port ${port} did not accept connections`);
  };
  const kill = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => { p.once('exit', () => resolve()); p.kill('SIGKILL'); });
  };
  await start();
  return { url, kill, start };
}

/** Waits until `cond` holds, polling; throws with `what` after `ms`. */
export async function until(cond: () => boolean, what: string, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A TCP path to the broker that a test can cut and restore: the hub loses its broker while every other client (the
 * test's own watcher) stays connected and subscribed, so what the hub sends when it is back is seen for certain.
 */
export async function brokerPath(brokerUrl: string): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void> }> {
  const { createConnection, createServer: server } = await import('node:net');
  const target = new URL(brokerUrl);
  const port = await freePort();
  const sockets = new Set<import('node:net').Socket>();
  let listening: import('node:net').Server | undefined;
  const restore = () => new Promise<void>((resolve) => {
    listening = server((inbound) => {
      const outbound = createConnection(Number(target.port), target.hostname);
      for (const s of [inbound, outbound]) { sockets.add(s); s.on('close', () => sockets.delete(s)); s.on('error', () => s.destroy()); }
      inbound.pipe(outbound).pipe(inbound);
    }).listen(port, '127.0.0.1', () => resolve());
  });
  const cut = () => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    if (listening) listening.close(() => resolve()); else resolve();
  });
  await restore();
  return { url: `mqtt://127.0.0.1:${port}`, cut, restore };
}
