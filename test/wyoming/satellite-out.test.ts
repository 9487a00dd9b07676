/**
 * A satellite that is a server (as wyoming-satellite is: Home Assistant connects to it), listed in
 * `wyoming.satellites`: the hub connects out, says run-satellite, hears "hey jarvis, turn on the kitchen light"
 * streamed back, switches the light and sends the reply's text and audio. The satellite is the vendored library.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';

const vendor = fileURLToPath(new URL('../../../shared/vendor/python', import.meta.url));
const satellite = fileURLToPath(new URL('./satellite.py', import.meta.url));
const clip = fileURLToPath(new URL('../fixtures/audio/hey-jarvis-command-slt.wav', import.meta.url));
let hub: Hub | undefined;

afterAll(async () => { await hub?.stop(); });

describe('a Wyoming satellite the hub connects to', () => {
  it('runs the satellite\'s request and answers it, as Home Assistant would', async () => {
    const py = spawn('python3', [satellite, clip], { env: { ...process.env, PYTHONPATH: vendor }, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines: Record<string, unknown>[] = [];
    let buffered = '';
    py.stdout!.on('data', (b: Buffer) => {
      buffered += b.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const l of parts) lines.push(JSON.parse(l) as Record<string, unknown>);
    });
    const until = async (ok: () => boolean, ms: number) => { const end = Date.now() + ms; while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50)); };
    await until(() => lines.length > 0, 10_000);
    const port = Number(lines[0]!['port']);
    hub = new Hub(loadConfig({ env: {}, overrides: {
      hubId: 'wysat', demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-wysat-')), embeddedBroker: { port: 0 },
      wyoming: { enabled: true, port: 0, satellites: [`127.0.0.1:${port}`] }, audio: { queueMaxFrames: 1000 },
    } }), silentLogger);
    await hub.start();
    const client = await mqtt.connectAsync(hub.brokerUrl);
    const commands: string[] = [];
    client.on('message', (t, p) => commands.push(`${t} ${p.toString()}`));
    await client.subscribeAsync('cmnd/#');
    await client.publishAsync('tasmota/discovery/DC4F22000099/config', JSON.stringify({ ip: '10.0.0.9', dn: 'Kitchen Light', fn: ['Kitchen Light'], hn: 'kl', mac: 'DC4F22000099',
      md: 'Sonoff Basic', t: 'kitchen', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [2] }), { retain: true, qos: 1 });
    await until(() => lines.length > 1, 60_000);
    await client.endAsync();
    const got = lines[1]!;
    expect(got['detection']).toMatchObject({ name: 'hey_jarvis' });
    expect((got['synthesize'] as { text: string }).text).toMatch(/kitchen light/i);
    expect(Number(got['audio_samples'])).toBeGreaterThan(8000);
    expect(commands).toContain('cmnd/kitchen/POWER ON');
  }, 90_000);
});
