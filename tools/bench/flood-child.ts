/**
 * Child process of the flood bench (run with --expose-gc): a hub on a real Mosquitto when one is installed (else its
 * embedded broker) with 100 zigbee2mqtt lamps. 100,000 state messages as fast as one client sends them (the absorb
 * rate); 100,000 more at the goal's 10,000 msgs/s while a second client asks "what time is it" every 20 ms (the say
 * latency: sent faster than the hub absorbs, any request waits behind the backlog); then 10,000 hostile messages (malformed JSON, spoofed Shelly
 * devices, junk topics with 10 KB payloads, broken discovery configs). Prints JSON: the absorb rate, the say
 * latencies, and RSS after gc at 1,000 and 10,000 hostile messages.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';

const LAMPS = 100, STATES = 100_000, HOSTILE = 10_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const rssMb = () => { gc(); gc(); return process.memoryUsage().rss / 2 ** 20; };

let mosquitto: ReturnType<typeof spawn> | undefined;
let url: string | null = null;
try {
  execFileSync('sh', ['-c', 'command -v mosquitto'], { stdio: 'ignore' });
  const port = await new Promise<number>((r) => { const s = createServer().listen(0, '127.0.0.1', () => { const p = (s.address() as { port: number }).port; s.close(() => r(p)); }); });
  mosquitto = spawn('mosquitto', ['-p', String(port)], { stdio: 'ignore' });
  url = `mqtt://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) { try { await (await mqtt.connectAsync(url, { reconnectPeriod: 0 })).endAsync(); break; } catch { await new Promise((r) => setTimeout(r, 50)); } }
} catch { url = null; }

const hub = new Hub(loadConfig({ env: {}, overrides: { hubId: 'flood', demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-flood-')), log: { level: 'silent' },
  learning: { nightlyHour: null }, ...(url ? { mqtt: { url } } : { embeddedBroker: { port: 0 } }) } }), silentLogger);
await hub.start();
const pub = await mqtt.connectAsync(hub.brokerUrl);
const asker = await mqtt.connectAsync(hub.brokerUrl);
const lamp = (i: number) => ({ friendly_name: `Lamp ${i}`, ieee_address: `0x${String(i).padStart(16, '0')}`, type: 'Router', definition: { model: 'x', vendor: 'y', exposes: [{ type: 'light', features: [
  { type: 'binary', name: 'state', property: 'state', access: 7, value_on: 'ON', value_off: 'OFF' }, { type: 'numeric', name: 'brightness', property: 'brightness', access: 7, value_min: 0, value_max: 254 }] }] } });
await pub.publishAsync('zigbee2mqtt/bridge/devices', JSON.stringify(Array.from({ length: LAMPS }, (_, i) => lamp(i))));
while (hub.registry.all().length < LAMPS) await new Promise((r) => setTimeout(r, 20));

let absorbed = 0;
hub.registry.events.on('state-changed', () => { absorbed++; });
const asked = new Map<string, number>(), latencies: number[] = [];
await asker.subscribeAsync('hearth/flood/turn');
asker.on('message', (_t, p) => { const r = JSON.parse(p.toString()) as { requestId?: string }; const t0 = r.requestId ? asked.get(r.requestId) : undefined; if (t0 !== undefined) latencies.push(performance.now() - t0); });
const state = (j: number): [string, string] => [`zigbee2mqtt/Lamp ${j % LAMPS}`, JSON.stringify({ state: Math.floor(j / LAMPS) % 2 ? 'ON' : 'OFF', brightness: j % 254 })];
const t0 = performance.now();
for (let j = 0; j < STATES; j++) {
  pub.publish(...state(j));
  if (j % 2000 === 1999) await new Promise((r) => setImmediate(r));
}
while (absorbed < STATES && performance.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 5));
const seconds = (performance.now() - t0) / 1000;
const flooded = absorbed;
let n = 0;
const ask = setInterval(() => { const id = `q${n++}`; asked.set(id, performance.now()); asker.publish('hearth/flood/say', JSON.stringify({ text: 'what time is it', requestId: id, siteId: `s${n % 50}` })); }, 20);
const t1 = performance.now();
for (let j = 0; j < STATES; j += 100) { // 100 every 10 ms: 10,000 a second
  for (let k = j; k < j + 100; k++) pub.publish(...state(k + 1));
  const due = t1 + (j + 100) / 10; // ms
  await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
}
clearInterval(ask);
await new Promise((r) => setTimeout(r, 500));

const junk = 'x'.repeat(10_000);
const hostile = (k: number): [string, string] => {
  switch (k % 5) {
    case 0: return [`zigbee2mqtt/Lamp ${k % LAMPS}`, '{"state": "ON", '];
    case 1: return [`spoof${k}/status/switch:0`, JSON.stringify({ id: 0, output: true })];
    case 2: return [`junk/${k}/topic`, junk];
    case 3: return [`homeassistant/light/bad${k}/config`, '{"name": 7, "command_topic": ['];
    default: return ['zigbee2mqtt/bridge/devices', '[{"friendly_name": 1}, "garbage"]'];
  }
};
await pub.subscribeAsync('junk/#'); // the hub ignores junk topics; a subscriber makes the broker deliver them somewhere
let rss1000 = 0;
for (let k = 0; k < HOSTILE; k++) {
  pub.publish(...hostile(k));
  if (k === 999) { await new Promise((r) => setTimeout(r, 1000)); rss1000 = rssMb(); }
  if (k % 500 === 499) await new Promise((r) => setTimeout(r, 10));
}
await new Promise((r) => setTimeout(r, 1000));
const rss10000 = rssMb();
latencies.sort((a, b) => a - b);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(JSON.stringify({ broker: url ? 'mosquitto' : 'embedded (aedes)', absorbed: flooded, seconds, rate: flooded / seconds, says: latencies.length, asked: n, p50: q(0.5), p99: q(0.99), rss1000, rss10000, devices: hub.registry.all().length }));
await pub.endAsync(true); await asker.endAsync(true);
await hub.stop();
mosquitto?.kill('SIGKILL');
process.exit(0);
