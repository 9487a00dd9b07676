/**
 * Spoken replies on a Hermes satellite: the reply to a spoken request goes back as a WAV on
 * hermes/audioServer/<site>/playBytes/<id> (flite's voice), and while the satellite plays it the hub's own voice
 * saying the wake word does not wake it. The same audio heard after the satellite reports playFinished does wake it:
 * suppression follows the real playback, and the test could fail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { fileURLToPath } from 'node:url';
import { decodeWav, encodeWav, readWav16k, toInt16At16k } from '../../runtime/audio/wav.js';

let hub: Hub;
let client: MqttClient;
const seen: { topic: string; payload: Buffer }[] = [];

async function until(ok: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

/** Streams 16 kHz samples as the satellite's microphone would, in 512-sample WAV chunks. */
async function hear(samples: Int16Array, site = 'kitchen'): Promise<void> {
  for (let i = 0; i < samples.length; i += 512) await client.publishAsync(`hermes/audioServer/${site}/audioFrame`, Buffer.from(encodeWav(samples.subarray(i, i + 512))));
}

const wakes = (from: number, site = 'kitchen') => seen.slice(from).filter((m) => m.topic === 'hearth/spk/wake' && m.payload.toString().includes(`"siteId":"${site}"`));

beforeAll(async () => {
  hub = new Hub(loadConfig({ env: {}, overrides: {
    hubId: 'spk', demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-spoken-')), embeddedBroker: { port: 0 },
    audio: { source: 'hermes', hermesSiteIds: ['kitchen', 'porch'], queueMaxFrames: 1000 }, wake: { words: [{ id: 'hey_jarvis' }, { id: 'alexa' }] },
  } }), silentLogger);
  await hub.start();
  client = await mqtt.connectAsync(hub.brokerUrl);
  client.on('message', (topic, payload) => seen.push({ topic, payload }));
  await client.subscribeAsync('hearth/spk/#');
  await client.subscribeAsync('hermes/audioServer/kitchen/playBytes/#');
  await client.publishAsync('tasmota/discovery/DC4F22000099/config', JSON.stringify({ ip: '10.0.0.9', dn: 'Kitchen Light', fn: ['Kitchen Light'], hn: 'kl', mac: 'DC4F22000099',
    md: 'Sonoff Basic', t: 'kitchen', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [2] }), { retain: true, qos: 1 });
  await until(() => hub.registry.all().length > 0, 5000);
  await hear(new Int16Array(40000), 'porch');
  await hear(new Int16Array(40000)); // 2.5 s of quiet: the wake models' warm-up
}, 30_000);

afterAll(async () => {
  await client?.endAsync();
  await hub?.stop();
});

describe('spoken replies on a Hermes satellite', () => {
  it('sends the reply as audio, and its own "hey jarvis" wakes the hub only after the satellite finished playing it', async () => {
    const r = hub.say('set the kitchen light to hey jarvis mode', { source: 'speech', siteId: 'kitchen' });
    expect(r.response.speech.toLowerCase()).toContain('hey jarvis');
    await until(() => seen.some((m) => m.topic.startsWith('hermes/audioServer/kitchen/playBytes/')));
    const play = seen.find((m) => m.topic.startsWith('hermes/audioServer/kitchen/playBytes/'))!;
    const { info, mono } = decodeWav(play.payload, play.topic);
    expect(info.sampleRateHz).toBe(16000);
    expect(info.frames / info.sampleRateHz).toBeGreaterThan(1); // a sentence of speech, not a click
    const echo = toInt16At16k(mono, info.sampleRateHz);

    const before = seen.length;
    await hear(echo); // the microphone hears the satellite's speaker
    await hear(new Int16Array(16000));
    await new Promise((res) => setTimeout(res, 1500));
    expect(wakes(before)).toEqual([]);

    await client.publishAsync('hermes/audioServer/kitchen/playFinished', JSON.stringify({ id: play.topic.split('/').pop(), siteId: 'kitchen' }));
    await new Promise((res) => setTimeout(res, 300));
    const after = seen.length;
    await hear(new Int16Array(8000));
    await hear(echo); // the same words said once the reply is over: a person saying the wake word
    await hear(new Int16Array(16000));
    await until(() => wakes(after).length > 0, 10_000);
    expect(wakes(after).length).toBeGreaterThan(0);
  }, 60_000);

  it('hears nothing while Home Assistant mutes it, and only the wake word HA picked (on another satellite, the porch)', async () => {
    const { samples } = readWav16k(fileURLToPath(new URL('../fixtures/audio/hey-jarvis-alone-espeak.wav', import.meta.url)));
    const clip = new Int16Array(8000 + samples.length + 16000);
    clip.set(samples, 8000);
    const heardAfter = async (from: number) => { await new Promise((res) => setTimeout(res, 2500)); return wakes(from, 'porch').length; };
    await client.publishAsync('hearth/spk/mute/set', 'ON');
    await new Promise((res) => setTimeout(res, 200));
    let from = seen.length;
    await hear(clip, 'porch');
    expect(await heardAfter(from)).toBe(0);
    await client.publishAsync('hearth/spk/mute/set', 'OFF');
    await client.publishAsync('hearth/spk/wake_word/set', 'alexa'); // only "alexa" wakes it now
    await new Promise((res) => setTimeout(res, 200));
    from = seen.length;
    await hear(clip, 'porch');
    expect(await heardAfter(from)).toBe(0);
    await client.publishAsync('hearth/spk/wake_word/set', 'all');
    await new Promise((res) => setTimeout(res, 200));
    from = seen.length;
    await hear(clip, 'porch');
    // A wake that comes is waited for (a loaded machine may take longer than the quiet windows above), then counted.
    await until(() => wakes(from, 'porch').length > 0, 10_000);
    expect(await heardAfter(from)).toBe(1);
  }, 60_000);
});
