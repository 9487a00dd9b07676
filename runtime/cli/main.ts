#!/usr/bin/env -S node --max-semi-space-size=4
/**
 * The `hearth` command: run | say | devices | scenarios | nlu-eval. Errors print their code and
 * what to do, and exit non-zero; the daemon itself never exits on bad input.
 */
import { createInterface } from 'node:readline';
import { HearthError } from '../types/errors.js';
import { loadConfig } from '../config/load.js';
import { createLogger } from '../log.js';
import { Hub, MAX_SAY_CHARS } from '../hub/hub.js';
import { parseArgs, type Args } from './args.js';
import { askHub } from './hub-client.js';
import { listen } from './listen.js';
import { rewritesCommand } from './rewrites.js';
import { forgetAll } from './forget.js';
import { learnCommand, learnVoicesCommand } from './learn.js';
import { reportCommand } from './report.js';
import { transcribe } from './transcribe.js';
import { syncCommand } from './sync.js';
import { EVAL_COMMAND_NAMES, runEvalCommand } from './eval-commands.js';
import { runScenario, scenarioFiles } from './scenarios/runner.js';
import { existsSync } from 'node:fs';
import { speakReply } from './speak.js';
import { unpublishHa } from './unpublish-ha.js';
import { SystemdNotifier } from '../service/systemd.js';

/** SIGTERM to exit: under the 5 s a service manager is promised (tools/systemd/hearth.service). */
const STOP_DEADLINE_MS = 4500;

const USAGE = `hearth <command>
  run [--config file] [--profile pi4|pi5|jetson-nano]
                                      start the hub (typed text on stdin when interactive)
  run --unpublish-ha                  remove the hub's device from Home Assistant (clears its discovery configs)
  say "text" [--config file] [--speak | --wav out.wav]
                                      one turn against a running hub, prints its answer
                                      (--speak: and says it on this machine's speaker; --wav: into a file)
  devices [--config file] [--json]    the running hub's device registry as a table
  scenarios <file-or-folder>... [--broker url] [--json]
  nlu-eval ha <folder> | nlu-eval slurp <file.jsonl>
  listen [--file x.wav | --stdin]     wake events, VAD segments and utterances as JSON lines
                                      (--stdin: raw s16le 16 kHz mono; neither: the microphone)
  transcribe [--engine id] <wav> [--json]   speech to text with the home's grammar
  asr-eval <manifest.jsonl> [--engine id] [--curve out.png]
                                            WER, sentence errors, rejection, RTF, compute skipped per engine;
                                            --curve: the amortized engine over its compute knob, drawn
  report                              defect rate, failure points by stage, requests that fail most
  sync [--status | --rollback]        pull the global rewrite bundle now / say which is held / go back one
  learn                               run the learning job now (feedback labels, rephrase mining)
  learn --voices [--engine E] [--rollback]  adapt the ASR to the kept turns' voices (learning.keepVoiceTurns), or undo the last
  forget --all                        erase what the hub learned and was taught (keeps the config)
  rewrites list|add|remove|export|import   the rewrite cache (see hearth rewrites for usage)
  wake-eval <folder>... [--det det.png] [--report r.md] [--json-out r.json]   wake-word false rejects and false accepts/hour (folders pooled)
  wake-eval --pool <r.json>... [--det det.png] [--report r.md]   the report of separate sets' --json-out reports, pooled`;

function configFrom(args: Args) {
  const file = typeof args.flags['config'] === 'string' ? args.flags['config'] : process.env['HEARTH_CONFIG'] ?? (existsSync('hearth.yaml') ? 'hearth.yaml' : undefined);
  const profile = typeof args.flags['profile'] === 'string' ? args.flags['profile'] : process.env['HEARTH_PROFILE'];
  return loadConfig({ file, profile });
}

async function run(args: Args): Promise<number> {
  const config = configFrom(args);
  if (args.flags['unpublish-ha']) {
    const topics = await unpublishHa(config);
    process.stdout.write(`Removed the hub's ${topics.length} Home Assistant entities (cleared ${topics[0]} and the rest).\n`);
    return 0;
  }
  const log = createLogger(config.log.level);
  const systemd = SystemdNotifier.fromEnv(process.env, log);
  const hub = new Hub(config, log);
  try {
    await hub.start();
  } catch (err) {
    await hub.stop().catch(() => undefined); // what did start (the database, a timer) must not keep the process alive
    systemd.close();
    throw err;
  }
  const topic = `${hub.topicPrefix}/say`;
  process.stderr.write(`Hearth is running (broker ${hub.brokerUrl}). Type a request, or publish text to ${topic}.\n`);
  await systemd.ready(`broker ${hub.brokerUrl}, ${hub.registry.all().length} devices${config.wyoming.enabled ? `, Wyoming on port ${hub.wyoming.port}` : ''}`);
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
  await systemd.stopping();
  // systemd waits TimeoutStopSec; the hub promises to be gone in STOP_DEADLINE_MS whatever a component does.
  const deadline = setTimeout(() => { log.error({ code: 'stop-timeout' }, `the hub did not stop within ${STOP_DEADLINE_MS} ms; exiting anyway`); process.exit(1); }, STOP_DEADLINE_MS);
  await hub.stop();
  clearTimeout(deadline);
  systemd.close();
  return 0;
}

async function say(args: Args): Promise<number> {
  const text = args.positional.join(' ').trim();
  if (!text) throw new HearthError('cli-usage', 'config', 'Usage: hearth say "turn on the kitchen light" (the text was empty)');
  // The hub drops longer text on its say topic; waiting for its answer would only end in "is the hub running?".
  if (text.length > MAX_SAY_CHARS) throw new HearthError('say-too-long', 'input', `The text is ${text.length} characters; the hub takes at most ${MAX_SAY_CHARS}.`);
  const config = configFrom(args);
  const msg = await askHub(config, 'say', 'turn', { text });
  process.stdout.write(args.flags['json'] ? `${JSON.stringify(msg, null, 2)}\n` : `${String(msg['speech'])}\n`);
  const wav = typeof args.flags['wav'] === 'string' ? args.flags['wav'] : undefined;
  if (args.flags['speak'] || wav) await speakReply(config, String(msg['speech']), wav);
  return 0;
}

interface DeviceRow { name: string; area: string | null; domain: string; adapter: string; capabilities: string[]; available: boolean; state: Record<string, unknown> }

/** The running hub's registry as a table (or JSON with --json). */
async function devices(args: Args): Promise<number> {
  const msg = await askHub(configFrom(args), 'devices/get', 'devices', {});
  const list = (msg['devices'] ?? []) as DeviceRow[];
  if (args.flags['json']) {
    process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
    return 0;
  }
  const rows = list.map((d) => [d.name, d.area ?? '-', d.domain, d.adapter, d.capabilities.join(','),
    d.available ? Object.entries(d.state).map(([k, v]) => `${k}=${String(v)}`).join(' ') : 'unavailable']);
  const head = ['NAME', 'AREA', 'DOMAIN', 'ADAPTER', 'CAPABILITIES', 'STATE'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const r of [head, ...rows]) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}\n`);
  process.stdout.write(`${list.length} devices\n`);
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

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const args = parseArgs(rest);
  if (command && EVAL_COMMAND_NAMES.has(command)) return runEvalCommand(command, args, () => configFrom(args), (l) => process.stdout.write(`${l}\n`));
  switch (command) {
    case 'run': return run(args);
    case 'say': return say(args);
    case 'devices': return devices(args);
    case 'scenarios': return scenarios(args);
    case 'transcribe': {
      const config = configFrom(args);
      const engine = typeof args.flags['engine'] === 'string' ? args.flags['engine'] : config.asr.engine;
      return transcribe(config, args.positional[0], engine, args.flags['json'] === true, (l) => process.stdout.write(`${l}\n`));
    }
    case 'report': return reportCommand(configFrom(args), (l) => process.stdout.write(`${l}\n`));
    case 'sync': return syncCommand(configFrom(args), args.flags['status'] === true, (l) => process.stdout.write(`${l}\n`), args.flags['rollback'] === true);
    case 'learn': return args.flags['voices'] === true
      ? learnVoicesCommand(configFrom(args), args.flags['rollback'] === true, (l) => process.stdout.write(`${l}\n`), typeof args.flags['engine'] === 'string' ? args.flags['engine'] : undefined)
      : learnCommand(configFrom(args), (l) => process.stdout.write(`${l}\n`));
    case 'forget': return forgetAll(configFrom(args), args.flags['all'] === true, (l) => process.stdout.write(`${l}\n`));
    case 'rewrites': return rewritesCommand(configFrom(args), args, (l) => process.stdout.write(`${l}\n`));
    case 'listen': {
      const config = configFrom(args);
      const file = typeof args.flags['file'] === 'string' ? args.flags['file'] : undefined;
      return listen(config, { ...(file ? { file } : {}), stdin: args.flags['stdin'] === true }, createLogger(config.log.level === 'info' ? 'warn' : config.log.level), (l) => process.stdout.write(`${JSON.stringify(l)}\n`));
    }
    default:
      process.stderr.write(`${USAGE}\n`);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

// `hearth nlu-eval ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(0); else throw err; });

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  if (err instanceof HearthError) process.stderr.write(`hearth: ${err.message} [${err.code}]\n`);
  else process.stderr.write(`hearth: unexpected error, please report it: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = err instanceof HearthError && err.fault !== 'bug' ? 2 : 1;
});
