/**
 * Child process of the ASR bench: the whole hub (embedded broker, a home, the default config's wake word, VAD and ASR
 * engine) listening to two Hermes satellites at once, each streaming "hey jarvis, turn on the kitchen light" three
 * times in real time. Prints the commands it sent and its peak RSS in KiB (VmHWM, as wake-rss.ts: nothing of the
 * parent counts). argv[2]: the ASR engine (default: the default config's); `--asr-check` after it: with wake.asrCheck.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';

const SITES = ['kitchen', 'hall'];
const hub = new Hub(loadConfig({ env: {}, overrides: {
  hubId: 'rss', demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-rss-bench-')), embeddedBroker: { port: 0 }, log: { level: 'silent' },
  audio: { source: 'hermes', hermesSiteIds: SITES }, learning: { nightlyHour: null }, ...(process.argv[2] ? { asr: { engine: process.argv[2] } } : {}),
  ...(process.argv.includes('--asr-check') ? { wake: { asrCheck: true } } : {}),
} }), silentLogger);
await hub.start();
const client = await mqtt.connectAsync(hub.brokerUrl);
await client.publishAsync('tasmota/discovery/DC4F22000042/config', JSON.stringify({ ip: '10.0.0.42', dn: 'Kitchen Light', fn: ['Kitchen Light'], hn: 'kl', mac: 'DC4F22000042',
  md: 'Sonoff Basic', t: 'kitchen', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [2] }), { retain: true, qos: 1 });
let commands = 0;
await client.subscribeAsync('cmnd/kitchen/POWER');
client.on('message', () => { commands++; });
const { samples } = readWav16k(fileURLToPath(new URL('../../../test/fixtures/audio/hey-jarvis-command-slt.wav', import.meta.url)));
const stream = new Int16Array(32000 + samples.length + 16000);
stream.set(samples, 32000);
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
