/**
 * Two satellites speaking at once: each utterance gets its own pocketsphinx decoder (before, the second start()
 * reset the decoder the first was still using, and the hub crashed with a segmentation fault).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';

describe('two satellites at once', () => {
  it('both say "hey jarvis, turn on the kitchen light" together: two commands, one per satellite', async () => {
    const sites = ['kitchen', 'hall'];
    const hub = new Hub(loadConfig({ env: {}, overrides: {
      hubId: 'two', demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-two-')), embeddedBroker: { port: 0 },
      audio: { source: 'hermes', hermesSiteIds: sites, queueMaxFrames: 1000 }, wake: { words: [{ id: 'hey_jarvis' }] }, asr: { engine: 'pocketsphinx' },
    } }), silentLogger);
    await hub.start();
    const client = await mqtt.connectAsync(hub.brokerUrl);
    try {
      const turns: Record<string, unknown>[] = [];
      client.on('message', (topic, payload) => { if (topic === 'hearth/two/turn') turns.push(JSON.parse(payload.toString()) as Record<string, unknown>); });
      await client.subscribeAsync('hearth/two/turn');
      await client.publishAsync('tasmota/discovery/DC4F22000077/config', JSON.stringify({ ip: '10.0.0.7', dn: 'Kitchen Light', fn: ['Kitchen Light'], hn: 'kl', mac: 'DC4F22000077',
        md: 'Sonoff Basic', t: 'kitchen', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [2] }), { retain: true, qos: 1 });
      const { samples } = readWav16k(fileURLToPath(new URL('../fixtures/audio/hey-jarvis-command-slt.wav', import.meta.url)));
      const stream = new Int16Array(40000 + samples.length + 24000);
      stream.set(samples, 40000);
      // Frame by frame, the two satellites interleaved: both utterances are open at the same time.
      for (let i = 0; i < stream.length; i += 1280) {
        const frame = Buffer.from(encodeWav(stream.subarray(i, i + 1280)));
        for (const site of sites) await client.publishAsync(`hermes/audioServer/${site}/audioFrame`, frame);
      }
      const end = Date.now() + 20000;
      while (turns.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(turns.map((t) => t['intent'])).toEqual(['HassTurnOn', 'HassTurnOn']);
      expect(turns.map((t) => (t['commands'] as { topic: string }[])[0]?.topic)).toEqual(['cmnd/kitchen/POWER', 'cmnd/kitchen/POWER']);
    } finally {
      await client.endAsync();
      await hub.stop();
    }
  }, 60_000);
});
