/**
 * The `hearth say` and `hearth devices` commands, run as a user runs them (the built CLI in a child
 * process) against a hub that runs here on its embedded broker. `npm test` builds dist/ first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { decodeWav } from '../../runtime/audio/wav.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import mqtt from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';

const cli = fileURLToPath(new URL('../../dist/runtime/cli/main.js', import.meta.url));
const run = promisify(execFile);
const hubId = `cli${Math.floor(Math.random() * 1e6)}`;
let hub: Hub;
let env: NodeJS.ProcessEnv;

async function hearth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [cli, ...args], { env, timeout: 15000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" (npm test does) before these tests`);
  const config = loadConfig({ env: {}, overrides: { hubId, demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-cli-')), embeddedBroker: { port: 0 } } });
  hub = new Hub(config, silentLogger);
  await hub.start();
  const port = new URL(hub.brokerUrl).port;
  env = { PATH: process.env['PATH'], HEARTH__HUBID: hubId, HEARTH__EMBEDDEDBROKER__PORT: port };
  const client = await mqtt.connectAsync(hub.brokerUrl);
  await client.publishAsync('tasmota/discovery/AABBCCDDEEFF/config', JSON.stringify({
    ip: '10.0.0.5', dn: 'Porch', fn: ['Porch Light', null], hn: 'porch', mac: 'AABBCCDDEEFF', md: 'Sonoff Basic', t: 'porch',
    ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [1, 0], swc: [-1], swn: [null], btn: [0], so: {}, lk: 0, lt_st: 0, sho: [], ver: 1,
  }), { retain: true, qos: 1 });
  await client.endAsync();
  const end = Date.now() + 5000;
  while (hub.registry.all().length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}, 20000);

afterAll(async () => { await hub?.stop(); });

describe('hearth say', () => {
  it('runs one turn on the running hub and prints its answer', async () => {
    const r = await hearth('say', 'turn on the porch light');
    expect(r.stderr).not.toContain('hearth:');
    expect(r.code).toBe(0);
    expect(r.stdout.toLowerCase()).toContain('porch light');
    expect(hub.interactionLog?.count()).toBeGreaterThan(0);
  }, 20000);

  it('prints the whole turn with --json', async () => {
    const r = await hearth('say', '--json', 'turn off the porch light');
    const turn = JSON.parse(r.stdout) as { intent: string; commands: Array<{ topic: string; payload: string }> };
    expect(turn.intent).toBe('HassTurnOff');
    expect(turn.commands).toEqual([{ topic: 'cmnd/porch/POWER', payload: 'OFF' }]);
  }, 20000);

  it('says the answer in the hub\'s voice with --wav (the speaker itself, --speak, is aplay: no sound card here)', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'hearth-say-')), 'reply.wav');
    const r = await hearth('say', '--wav', out, 'turn on the porch light');
    expect(r.code).toBe(0);
    const { info } = decodeWav(readFileSync(out), out);
    expect(info.frames / info.sampleRateHz).toBeGreaterThan(1); // "Turned on the porch light." is over a second of speech
  }, 20000);

  it('says plainly when no hub is running', async () => {
    const saved = env;
    env = { ...env, HEARTH__EMBEDDEDBROKER__PORT: '1' };
    const r = await hearth('say', 'hello');
    env = saved;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Start the hub');
  }, 20000);
});

describe('hearth devices', () => {
  it('prints the running hub\'s devices as a table', async () => {
    const r = await hearth('devices');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+AREA\s+DOMAIN\s+ADAPTER/);
    expect(lines.some((l) => l.startsWith('Porch Light') && l.includes('tasmota') && l.includes('switch'))).toBe(true);
    expect(lines.at(-1)).toBe('1 devices');
  }, 20000);
});
