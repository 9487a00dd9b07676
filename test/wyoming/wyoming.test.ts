/**
 * Hearth's Wyoming server against the real client library Home Assistant uses (../shared/vendor/python/wyoming,
 * driven by client.py): describe, transcribe a WAV of a request, detect a wake word, recognize, handle a request
 * (its MQTT command goes out), synthesize a reply; a satellite streaming "hey jarvis, turn on the kitchen light"
 * gets the light switched and the reply's audio back; two clients at once; a malformed stream and a client that
 * vanishes mid-stream leave the hub serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const run = promisify(execFile);
const vendor = fileURLToPath(new URL('../../../shared/vendor/python', import.meta.url));
const script = fileURLToPath(new URL('./client.py', import.meta.url));
const clip = (name: string) => fileURLToPath(new URL(`../fixtures/audio/${name}`, import.meta.url));
let hub: Hub;
let client: MqttClient;
const commands: { topic: string; payload: string }[] = [];

/** One client.py run: its JSON lines. */
async function wyoming(...args: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await run('python3', [script, String(hub.wyoming.port), ...args], { env: { ...process.env, PYTHONPATH: vendor }, timeout: 60_000 });
  return stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}
const last = async (...args: string[]) => (await wyoming(...args)).at(-1)!;

async function until(ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

beforeAll(async () => {
  hub = new Hub(loadConfig({ env: {}, overrides: {
    hubId: 'wy', demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-wyoming-')), embeddedBroker: { port: 0 }, area: 'kitchen',
    wyoming: { enabled: true, port: 0 }, wake: { words: [{ id: 'hey_jarvis' }, { id: 'alexa' }] }, audio: { queueMaxFrames: 1000 },
  } }), silentLogger);
  await hub.start();
  client = await mqtt.connectAsync(hub.brokerUrl);
  client.on('message', (topic, payload) => commands.push({ topic, payload: payload.toString() }));
  await client.subscribeAsync('cmnd/#');
  await client.publishAsync('tasmota/discovery/DC4F22000099/config', JSON.stringify({ ip: '10.0.0.9', dn: 'Kitchen Light', fn: ['Kitchen Light'], hn: 'kl', mac: 'DC4F22000099',
    md: 'Sonoff Basic', t: 'kitchen', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [2] }), { retain: true, qos: 1 });
  await until(() => hub.registry.all().length > 0, 5000);
}, 30_000);

afterAll(async () => {
  await client?.endAsync();
  await hub?.stop();
});

describe('Wyoming server, with the client library Home Assistant uses', () => {
  it('describes what it offers: asr, wake words, intent, handle (home control) and a voice', async () => {
    expect(await last('describe')).toEqual({ asr: ['moonshine'], wake: ['hey_jarvis', 'alexa'], handle: ['hearth'], intent: ['hearth-intent'], tts: ['slt'], home_control: true });
  });

  it('transcribes a WAV of a request with the home\'s grammar', async () => {
    expect(await last('transcribe', clip('cmd-bedroom-lamp-off-awb.wav'))).toMatchObject({ type: 'transcript', text: expect.any(String) });
    // The grammar is this home's: a kitchen light, no bedroom lamp. A request for the light is heard word for word.
    const t = await last('transcribe', clip('hey-jarvis-command-slt.wav'));
    expect(t['text']).toMatch(/turn on (the )?kitchen light$/);
  }, 60_000);

  it('detects its wake word in a stream, and says not-detected when there is none', async () => {
    expect(await last('detect', clip('hey-jarvis-alone-espeak.wav'))).toEqual({ type: 'detection', name: 'hey_jarvis' });
    expect(await last('detect', clip('no-wake-word-rms.wav'))).toEqual({ type: 'not-detected' });
    expect(await last('detect', clip('hey-jarvis-alone-espeak.wav'), '["alexa"]')).toEqual({ type: 'not-detected' }); // only the names asked for
  }, 60_000);

  it('recognizes an intent without acting on it', async () => {
    const before = commands.length;
    expect(await last('recognize', 'turn on the kitchen light')).toMatchObject({ type: 'intent', name: 'HassTurnOn', entities: { name: 'Kitchen Light' } }); // the device's own name, as Home Assistant's entities carry it
    expect(await last('recognize', 'the quick brown fox')).toEqual({ type: 'not-recognized' });
    await new Promise((r) => setTimeout(r, 300));
    expect(commands.length).toBe(before);
  });

  it('handles "turn on the kitchen light": the MQTT command goes out and the reply comes back', async () => {
    const r = await last('handle', 'turn on the kitchen light');
    expect(r['type']).toBe('handled');
    expect(String(r['text'])).toMatch(/kitchen light/i);
    await until(() => commands.some((c) => c.topic === 'cmnd/kitchen/POWER' && c.payload === 'ON'));
    expect(commands.some((c) => c.topic === 'cmnd/kitchen/POWER' && c.payload === 'ON')).toBe(true);
    expect(hub.interactionLog!.recent(1)[0]).toMatchObject({ source: 'wyoming', input_text: 'turn on the kitchen light' });
    expect((await last('handle', 'flibbertigibbet wobble'))['type']).toBe('not-handled');
  });

  it('synthesizes a reply as 16-bit mono audio', async () => {
    const a = await last('synthesize', 'The kitchen light is on. It is seven o\'clock.');
    expect(a).toMatchObject({ type: 'audio', rate: 16000, width: 2, channels: 1 });
    expect(Number(a['samples'])).toBeGreaterThan(16000); // more than a second of speech
  });

  it('runs a satellite\'s pipeline: wake word, command carried out, reply text and audio back', async () => {
    commands.length = 0;
    const got = await last('satellite', clip('hey-jarvis-command-slt.wav'));
    expect(got['detection']).toMatchObject({ name: 'hey_jarvis' });
    expect((got['transcript'] as { text: string }).text).toMatch(/turn on (the )?kitchen light$/);
    expect((got['synthesize'] as { text: string }).text).toMatch(/kitchen light/i);
    expect(Number(got['audio_samples'])).toBeGreaterThan(8000);
    expect(commands).toContainEqual({ topic: 'cmnd/kitchen/POWER', payload: 'ON' });
  }, 90_000);

  it('serves two clients at once, refuses a malformed stream and survives a client that vanishes mid-stream', async () => {
    const [a, b, dropped] = await Promise.all([last('handle', 'turn off the kitchen light'), last('synthesize', 'Two at once.'), last('drop', clip('hey-jarvis-command-slt.wav'))]);
    expect(a['type']).toBe('handled');
    expect(b).toMatchObject({ type: 'audio' });
    expect(dropped).toEqual({ dropped: true });
    const g = await wyoming('garbage');
    expect(g).toEqual([{ type: 'error', code: 'wyoming-malformed' }, { closed: true }]);
    expect(await last('recognize', 'what time is it')).toMatchObject({ type: 'intent', name: 'HassGetCurrentTime' });
    await until(() => hub.wyoming.clients === 0, 5000);
    expect(hub.wyoming.clients).toBe(0);
  }, 90_000);
});
