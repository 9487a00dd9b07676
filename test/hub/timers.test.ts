/**
 * Timers and lists in a running hub, over a real broker: a timer rings on the site that set it (its spoken alert on
 * that satellite's speaker, `timer/finished` on MQTT), each site sees only its own timers, the active timers and the
 * lists are retained on MQTT, and a restart keeps them: one that ended while the hub was off is announced at start.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { EmbeddedBroker } from '../../runtime/mqtt/embedded.js';
import { encodeWav, toInt16At16k } from '../../runtime/audio/wav.js';
import { TtsEngine } from '../../runtime/tts/engine.js';

const dataDir = mkdtempSync(join(tmpdir(), 'hearth-timers-'));
let offsetMs = 0;
const hubs: Hub[] = [];
let client: MqttClient | undefined;
/** A broker of its own, so what the hub says as it starts (a timer that ended while it was off) is heard. */
const broker = new EmbeddedBroker('127.0.0.1', 0, silentLogger);
const seen: { topic: string; payload: string }[] = [];

async function startHub(): Promise<Hub> {
  if (!client) {
    await broker.start();
    client = await mqtt.connectAsync(broker.url);
    client.on('message', (topic, payload) => seen.push({ topic, payload: payload.toString() }));
    await client.subscribeAsync(['hearth/tm/#', 'hermes/audioServer/+/playBytes/#']);
  }
  const hub = new Hub(loadConfig({ env: {}, overrides: { hubId: 'tm', demo: false, dataDir, mqtt: { url: broker.url },
    // A flite voice says the timer: Moonshine hears its "Jarvis" as "Jotterbus", and the ASR's wake check is for people.
    audio: { source: 'hermes', hermesSiteIds: ['kitchen', 'hall'], queueMaxFrames: 1000 }, wake: { asrCheck: false } } }), silentLogger, { nowMs: () => Date.now() + offsetMs });
  await hub.start();
  hubs.push(hub);
  return hub;
}

async function until(ok: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}

afterAll(async () => {
  await client?.endAsync();
  for (const h of hubs) await h.stop();
  await broker.stop();
});

describe('timers and lists', () => {
  it('sets a timer said aloud: the grammar has Hearth\'s own timer sentences', async () => {
    const hub = await startHub();
    const audio = await new TtsEngine({ engine: 'flite', voice: null, rateWpm: 160 }).whole('Hey Jarvis. Set a timer for five minutes.');
    const speech = toInt16At16k(Float32Array.from(audio.samples, (v) => v / 32768), audio.rateHz);
    const stream = new Int16Array(40000 + speech.length + 24000);
    stream.set(speech, 40000);
    const before = seen.length;
    for (let i = 0; i < stream.length; i += 512) await client!.publishAsync('hermes/audioServer/kitchen/audioFrame', Buffer.from(encodeWav(stream.subarray(i, i + 512))));
    await until(() => seen.slice(before).some((m) => m.topic === 'hearth/tm/turn'), 20_000);
    const turn = JSON.parse(seen.slice(before).find((m) => m.topic === 'hearth/tm/turn')!.payload) as Record<string, unknown>;
    expect(turn).toMatchObject({ source: 'speech', intent: 'HassStartTimer', speech: 'Timer set for 5 minutes.' });
    expect(hub.say('how much time is left', { siteId: 'kitchen' }).response.speech).toMatch(/^The 5 minute timer has (4 minutes and \d+ seconds|5 minutes) left\.$/);
    hub.say('cancel all timers', { siteId: 'kitchen' });
  }, 40_000);

  it('rings on the site that set it, keeps sites apart, and publishes timers and lists', async () => {
    const hub = hubs[0]!;
    expect(hub.say('set an egg timer for 1 second', { siteId: 'kitchen' }).response.speech).toBe('Egg timer set for 1 second.');
    expect(hub.say('how much time is left', { siteId: 'hall' }).response.speech).toBe('There are no timers here.');
    const kitchen = hub.say('how much time is left', { siteId: 'kitchen' }).response.speech;
    expect(kitchen).toMatch(/^The egg timer has (1 second|0 seconds) left\.$/);
    await until(() => seen.some((m) => m.topic === 'hearth/tm/timer/finished'));
    expect(JSON.parse(seen.find((m) => m.topic === 'hearth/tm/timer/finished')!.payload)).toMatchObject({ siteId: 'kitchen', name: 'egg', durationMs: 1000 });
    expect(seen.filter((m) => m.topic === 'hearth/tm/reply').map((m) => m.payload)).toContain('Your egg timer is done.');
    await until(() => seen.some((m) => m.topic.startsWith('hermes/audioServer/kitchen/playBytes/')));
    expect(seen.some((m) => m.topic.startsWith('hermes/audioServer/kitchen/playBytes/'))).toBe(true); // said on the kitchen satellite
    expect(seen.some((m) => m.topic.startsWith('hermes/audioServer/hall/playBytes/'))).toBe(false);
    expect(JSON.parse(seen.filter((m) => m.topic === 'hearth/tm/timers').at(-1)!.payload)).toEqual({ timers: [] });

    hub.say('add milk to my shopping list');
    hub.say('add eggs to the shopping list');
    hub.say('check off milk from the shopping list');
    await until(() => seen.filter((m) => m.topic === 'hearth/tm/lists/shopping_list').length >= 3);
    expect(JSON.parse(seen.filter((m) => m.topic === 'hearth/tm/lists/shopping_list').at(-1)!.payload))
      .toEqual({ list: 'shopping list', items: [{ item: 'milk', done: true }, { item: 'eggs', done: false }] });
  });

  it('keeps timers across a restart, and announces one that ended while the hub was off', async () => {
    const hub = hubs[0]!;
    hub.say('set a tea timer for 1 hour', { siteId: 'hall' });
    hub.say('set a bread timer for 3 hours', { siteId: 'hall' });
    await hub.stop();
    seen.length = 0;
    offsetMs = 2 * 3600_000; // the hub was off for two hours
    const again = await startHub();
    await until(() => seen.some((m) => m.topic === 'hearth/tm/timer/finished'));
    expect(seen.filter((m) => m.topic === 'hearth/tm/reply').map((m) => m.payload)).toContain('Your tea timer is done (it ended while the hub was off).');
    expect(again.say('how much time is left on the bread timer', { siteId: 'hall' }).response.speech).toMatch(/^The bread timer has (1 hour|59 minutes and \d+ seconds) left\.$/);
  });

});
