#!/usr/bin/env node
/**
 * The `hearth` command: run | say | devices | scenarios | nlu-eval. Errors print their code and
 * what to do, and exit non-zero; the daemon itself never exits on bad input.
 */
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { HearthError } from '../types/errors.js';
import { loadConfig } from '../config/load.js';
import { createLogger, silentLogger } from '../log.js';
import { Hub } from '../hub.js';
import { parseArgs, type Args } from './args.js';
import { runScenario, scenarioFiles } from './scenarios/runner.js';
import { evalHa } from '../nlu/eval/ha.js';
import { evalSlurp } from '../nlu/eval/slurp.js';
import { existsSync } from 'node:fs';

const USAGE = `hearth <command>
  run [--config file]                 start the hub (typed text on stdin when interactive)
  say "text" [--config file]          one turn against a running hub, prints its answer
  devices [--config file]             the device registry as a table
  scenarios <file-or-folder>... [--broker url] [--json]
  nlu-eval ha <folder> | nlu-eval slurp <file.jsonl>`;

function configFrom(args: Args) {
  const file = typeof args.flags['config'] === 'string' ? args.flags['config'] : process.env['HEARTH_CONFIG'] ?? (existsSync('hearth.yaml') ? 'hearth.yaml' : undefined);
  return loadConfig({ file });
}

async function run(args: Args): Promise<number> {
  const config = configFrom(args);
  const log = createLogger(config.log.level);
  const hub = new Hub(config, log);
  await hub.start();
  const topic = `${hub.topicPrefix}/say`;
  process.stderr.write(`Hearth is running (broker ${hub.brokerUrl}). Type a request, or publish text to ${topic}.\n`);
  hub.events.on('run-end', (r) => process.stdout.write(`> ${r.response.speech}\n`));
  let rl: ReturnType<typeof createInterface> | undefined;
  if (process.stdin.isTTY) {
    rl = createInterface({ input: process.stdin });
    rl.on('line', (line) => { if (line.trim()) hub.say(line.trim(), { source: 'text' }); });
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  rl?.close();
  await hub.stop();
  return 0;
}

async function say(args: Args): Promise<number> {
  const text = args.positional.join(' ');
  if (!text) throw new HearthError('cli-usage', 'config', 'Usage: hearth say "turn on the kitchen light"');
  const config = configFrom(args);
  const url = config.mqtt.url ?? `mqtt://${config.embeddedBroker.host}:${config.embeddedBroker.port}`;
  const prefix = `${config.mqtt.topicPrefix}/${config.hubId}`;
  const client = await mqtt.connectAsync(url, { connectTimeout: 5000, reconnectPeriod: 0, ...(config.mqtt.username ? { username: config.mqtt.username } : {}), ...(config.mqtt.password ? { password: config.mqtt.password } : {}) })
    .catch((err: Error) => { throw new HearthError('mqtt-connect-failed', 'environment', `No hub broker at ${url} (${err.message}). Start the hub with "npm start" first.`); });
  const requestId = randomUUID();
  const answer = new Promise<Record<string, unknown> | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), 5000);
    client.on('message', (_t, payload) => {
      try {
        const msg = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
        if (msg['requestId'] === requestId) { clearTimeout(timer); resolve(msg); }
      } catch { /* other traffic */ }
    });
  });
  await client.subscribeAsync(`${prefix}/turn`);
  await client.publishAsync(`${prefix}/say`, JSON.stringify({ text, requestId }));
  const msg = await answer;
  await client.endAsync();
  if (!msg) throw new HearthError('hub-no-answer', 'environment', `The hub ${config.hubId} did not answer within 5 s. Is it running on ${url}?`);
  process.stdout.write(`${String(msg['speech'])}\n`);
  if (args.flags['json']) process.stdout.write(`${JSON.stringify(msg, null, 2)}\n`);
  return 0;
}

async function devices(args: Args): Promise<number> {
  const config = configFrom(args);
  const hub = new Hub({ ...config, demo: config.demo ?? !config.mqtt.url }, silentLogger, { databasePath: ':memory:' });
  // With the embedded broker, `devices` can only see the demo home; with a real broker, the real one.
  await hub.start();
  await new Promise((r) => setTimeout(r, 1500));
  const rows = hub.registry.all().map(({ device: d, state: s }) => [d.name, d.area ?? '-', d.domain, d.adapter, Object.keys(d.capabilities).join(','), Object.entries(s.values).map(([k, v]) => `${k}=${String(v)}`).join(' ')]);
  const head = ['NAME', 'AREA', 'DOMAIN', 'ADAPTER', 'CAPABILITIES', 'STATE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
  await hub.stop();
  return 0;
}

async function scenarios(args: Args): Promise<number> {
  if (args.positional.length === 0) throw new HearthError('cli-usage', 'config', 'Usage: hearth scenarios <file-or-folder>...');
  const files = scenarioFiles(args.positional);
  const broker = typeof args.flags['broker'] === 'string' ? args.flags['broker'] : undefined;
  let passed = 0, failed = 0;
  const results = [];
  for (const [i, f] of files.entries()) {
    const r = await runScenario(f, broker, i);
    results.push(r);
    if (r.passed) passed++; else failed++;
    if (!args.flags['json']) process.stdout.write(r.passed ? `PASS ${r.name} (${f})\n` : `FAIL ${r.name} (${f}): ${r.error}\n`);
  }
  if (args.flags['json']) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

function nluEval(args: Args): number {
  const [kind, path] = args.positional;
  if (!path || (kind !== 'ha' && kind !== 'slurp')) throw new HearthError('cli-usage', 'config', 'Usage: hearth nlu-eval ha <folder> | hearth nlu-eval slurp <file.jsonl>');
  const report = kind === 'ha' ? evalHa(path) : evalSlurp(path);
  for (const f of report.failures) process.stdout.write(`FAIL ${f.file}: "${f.sentence}" -> ${f.why}\n`);
  const total = report.passed + report.failed;
  process.stdout.write(`accuracy ${(100 * report.passed / Math.max(1, total)).toFixed(1)}% of ${total}\n`);
  process.stdout.write(`${report.passed} passed, ${report.failed} failed\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const args = parseArgs(rest);
  switch (command) {
    case 'run': return run(args);
    case 'say': return say(args);
    case 'devices': return devices(args);
    case 'scenarios': return scenarios(args);
    case 'nlu-eval': return nluEval(args);
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  if (err instanceof HearthError) process.stderr.write(`hearth: ${err.message} [${err.code}]\n`);
  else process.stderr.write(`hearth: unexpected error, please report it: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = err instanceof HearthError && err.fault !== 'bug' ? 2 : 1;
});
