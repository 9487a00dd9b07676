/**
 * Child process of the ASR bench: the whole hub (embedded broker, a home, the default config's wake word, VAD and ASR
 * engine) listening to two Hermes satellites at once, each streaming a real "hey jarvis ... turn on the lamp"
 * (spoken.ts) three times in real time. Prints the commands it sent and its peak RSS in KiB (VmHWM, as wake-rss.ts:
 * nothing of the parent counts). argv[2]: the ASR engine (default: the default config's); `--no-asr-check` after it:
 * with wake.asrCheck off.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { encodeWav } from '../../runtime/audio/wav.js';
import { BENCH_LAMP, spokenStream } from './spoken.js';

const SITES = ['kitchen', 'hall'];
const hub = new Hub(loadConfig({ env: {}, overrides: {
  hubId: 'rss', demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-rss-bench-')), embeddedBroker: { port: 0 }, log: { level: 'silent' },
  audio: { source: 'hermes', hermesSiteIds: SITES }, learning: { nightlyHour: null }, ...(process.argv[2] ? { asr: { engine: process.argv[2] } } : {}),
  ...(process.argv.includes('--no-asr-check') ? { wake: { asrCheck: false } } : {}),
} }), silentLogger);
await hub.start();
const client = await mqtt.connectAsync(hub.brokerUrl);
await client.publishAsync(BENCH_LAMP.topic, JSON.stringify(BENCH_LAMP.config), { retain: true, qos: 1 });
let commands = 0;
await client.subscribeAsync(BENCH_LAMP.commandTopic);
client.on('message', () => { commands++; });
const stream = spokenStream();
const start = performance.now();
let k = 0;
for (let run = 0; run < 3; run++) {
  for (let i = 0; i < stream.length; i += 1280, k++) {
    const wait = start + k * 80 - performance.now(); // real time: one 80 ms frame every 80 ms on each satellite
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const frame = Buffer.from(encodeWav(stream.subarray(i, i + 1280)));
    for (const site of SITES) await client.publishAsync(`hermes/audioServer/${site}/audioFrame`, frame);
  }
}
await new Promise((r) => setTimeout(r, 1500));
await client.endAsync();
await hub.stop();
const kib = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? process.resourceUsage().maxRSS);
process.stdout.write(`${commands} ${kib}\n`);
