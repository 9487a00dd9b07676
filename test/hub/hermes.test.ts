/**
 * Spoken end to end: a satellite streams Hermes audioFrame WAV chunks ("hey jarvis, turn on the
 * kitchen light", flite) over a real broker; the hub hears its wake word, cuts the utterance,
 * recognises it with the default ASR engine against the home's grammar, and switches the light over MQTT.
 * Bad frames are skipped. The household opted in to keeping the turns that worked (learning.keepVoiceTurns).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';
import { HermesAudio } from '../../runtime/audio/hermes.js';
import { voiceTurnsDir } from '../../runtime/learning/voices/kept.js';

const clip = fileURLToPath(new URL('../fixtures/audio/hey-jarvis-command-slt.wav', import.meta.url));
let hub: Hub;
let client: MqttClient;
const seen: { topic: string; payload: string }[] = [];
/** The hub's clock can be held still, so a reply is "still playing" however slow the machine is. */
let frozenAtMs: number | undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'hearth-hermes-'));

beforeAll(async () => {
  hub = new Hub(loadConfig({ env: {}, overrides: {
    hubId: 'sat', demo: false, dataDir, embeddedBroker: { port: 0 }, learning: { keepVoiceTurns: true },
    audio: { source: 'hermes', hermesSiteIds: ['kitchen'], queueMaxFrames: 1000 }, wake: { words: [{ id: 'hey_jarvis' }] },
  } }), silentLogger, { nowMs: () => frozenAtMs ?? Date.now() });
  await hub.start();
  client = await mqtt.connectAsync(hub.brokerUrl);
  client.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }));
  await client.subscribeAsync('hearth/sat/#');
  await client.subscribeAsync('cmnd/#');
  await client.publishAsync('tasmota/discovery/DC4F22000099/config', JSON.stringify({ ip: '10.0.0.9', dn: 'Kitchen Light', fn: ['Kitchen Light'], hn: 'kl', mac: 'DC4F22000099',
    md: 'Sonoff Basic', t: 'kitchen', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [2] }), { retain: true, qos: 1 });
  const end = Date.now() + 5000;
  while (hub.registry.all().length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}, 30000);

afterAll(async () => {
  await client?.endAsync();
  await hub?.stop();
});

describe('Hermes satellite audio', () => {
  it('wakes on the satellite\'s stream, recognises the command and switches the light', async () => {
    await client.publishAsync('hermes/audioServer/kitchen/audioFrame', Buffer.from('not a wav chunk')); // skipped, logged once
    await client.publishAsync('hermes/tts/sayFinished', Buffer.from('{not json')); // a broken speaker report: logged, nothing lost
    const { samples } = readWav16k(clip);
    const stream = new Int16Array(32000 + samples.length + 16000);
    stream.set(samples, 32000);
    for (let i = 0; i < stream.length; i += 512) {
      await client.publishAsync('hermes/audioServer/kitchen/audioFrame', Buffer.from(encodeWav(stream.subarray(i, i + 512))));
    }
    // The light's command and the turn's record are two publishes: on a fast machine the first can arrive alone.
    const arrived = (topic: string): boolean => seen.some((m) => m.topic === topic);
    const end = Date.now() + 20000;
    while (!(arrived('cmnd/kitchen/POWER') && arrived('hearth/sat/turn')) && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const wake = JSON.parse(seen.find((m) => m.topic === 'hearth/sat/wake')!.payload) as Record<string, unknown>;
    expect(wake).toMatchObject({ siteId: 'kitchen', wakeWord: 'hey_jarvis' });
    const utterance = JSON.parse(seen.find((m) => m.topic === 'hearth/sat/utterance')!.payload) as Record<string, unknown>;
    expect(utterance['endReason']).toBe('silence');
    expect(seen.find((m) => m.topic === 'cmnd/kitchen/POWER')?.payload).toBe('ON');
    const turn = JSON.parse(seen.find((m) => m.topic === 'hearth/sat/turn')!.payload) as Record<string, unknown>;
    expect(turn).toMatchObject({ text: expect.stringMatching(/^turn on (the )?kitchen light$/), intent: 'HassTurnOn' });
    expect(seen.some((m) => m.topic === 'hearth/sat/asr/partial')).toBe(true);
    expect(hub.interactionLog!.recent(1)[0]).toMatchObject({ source: 'speech', input_text: turn['text'] });
    // Kept for adapting to this household's voices: the utterance's audio, labelled with the words heard.
    const kept = readdirSync(voiceTurnsDir(dataDir));
    expect(kept).toHaveLength(1);
    const audioS = readWav16k(join(voiceTurnsDir(dataDir), kept[0]!)).samples.length / 16000;
    expect(audioS).toBeGreaterThan(1.5);
    expect(audioS).toBeLessThan(stream.length / 16000);
    expect(hub.say('what time is it').response.outcome).toBe('answered'); // text still works
    expect(readdirSync(voiceTurnsDir(dataDir))).toHaveLength(1); // typed text has no audio to keep
  }, 40000);

  it('hears the wake word again while the reply is spoken: a barge-in on that turn', async () => {
    const before = seen.length;
    frozenAtMs = Date.now();
    hub.say('turn off the kitchen light', { source: 'speech', siteId: 'kitchen' }); // its reply starts playing now
    const turnId = (hub.interactionLog!.recent(1)[0] as { id: string }).id;
    const { samples } = readWav16k(clip);
    const stream = new Int16Array(8000 + samples.length);
    stream.set(samples, 8000);
    for (let i = 0; i < stream.length; i += 512) await client.publishAsync('hermes/audioServer/kitchen/audioFrame', Buffer.from(encodeWav(stream.subarray(i, i + 512))));
    const end = Date.now() + 20000;
    while (!seen.slice(before).some((m) => m.topic === 'hearth/sat/wake') && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const { openDatabase } = await import('../../runtime/store/db.js');
    const { db } = openDatabase(join(hub.config.dataDir, 'hearth.db'));
    expect(db.prepare('SELECT kind FROM feedback_events WHERE turn_id = ?').all(turnId)).toEqual([{ kind: 'barge-in' }]);
    frozenAtMs = undefined;
  }, 40000);

  it('does not wake on its own reply when the reply says the wake word (self-playback suppression)', async () => {
    const r = hub.say('set the kitchen light to jarvis mode', { source: 'speech', siteId: 'kitchen' });
    expect(r.response.speech.toLowerCase()).toContain('jarvis'); // "I don't know what jarvis mode is..."
    const before = seen.length;
    const { samples } = readWav16k(clip); // the hub's own voice saying "hey jarvis" while it replies
    const stream = new Int16Array(8000 + samples.length);
    stream.set(samples, 8000);
    for (let i = 0; i < stream.length; i += 512) await client.publishAsync('hermes/audioServer/kitchen/audioFrame', Buffer.from(encodeWav(stream.subarray(i, i + 512))));
    await new Promise((res) => setTimeout(res, 3000));
    expect(seen.slice(before).filter((m) => m.topic === 'hearth/sat/wake')).toEqual([]);
  }, 40000);

  it('round-trips the Hermes wire format and resamples a 48 kHz satellite to 16 kHz frames', () => {
    const h = new HermesAudio(['porch']);
    expect(h.handle('hermes/audioServer/garden/audioFrame', encodeWav(new Int16Array(10)))).toBeUndefined(); // not configured
    const frames = [];
    for (let i = 0; i < 30; i++) frames.push(...h.handle('hermes/audioServer/porch/audioFrame', encodeWav(new Int16Array(1024).fill(1000), 48000))!.frames);
    // 30 x 1024 samples at 48 kHz = 640 ms = 10240 samples at 16 kHz: 7 full frames (the resampler holds back its filter tail).
    expect(frames.length).toBe(7);
    expect(frames[3]!.samples[100]).toBeCloseTo(1000, -1);
    expect(() => h.handle('hermes/audioServer/porch/audioFrame', Buffer.from('junk'))).toThrow(/hermes\/audioServer\/porch\/audioFrame/);
  });
});
