/**
 * `hearth scenarios`: each file gets a fresh hub (fresh database) on a broker, its home published
 * retained, then its turns. Black box: the runner only publishes and reads MQTT topics.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { HearthError } from '../../types/errors.js';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt, { type MqttClient } from 'mqtt';
import { parse as parseYaml } from 'yaml';
import { EmbeddedBroker } from '../../mqtt/embedded.js';
import { Hub } from '../../hub/hub.js';
import { loadConfig } from '../../config/load.js';
import { silentLogger } from '../../log.js';
import { encodeWav, readWav16k } from '../../audio/wav.js';
import { describe, messageMatches, type ExpectedMessage, type Seen } from './match.js';

interface Expect {
  intent?: string; publish?: ExpectedMessage[]; not_publish?: ExpectedMessage[];
  speech_contains?: string[]; speech_not_contains?: string[]; asks?: boolean;
}
interface TurnSpec { say?: string; audio?: string; expect?: Expect; mqtt?: { topic: string; payload: unknown }; wait_ms?: number; learn?: unknown; new_session?: unknown }
interface Scenario {
  name?: string;
  hub?: { area?: string; pin?: string; config?: Record<string, unknown> };
  areas?: Record<string, string>;
  home?: { topic: string; payload: unknown }[];
  turns?: TurnSpec[];
}

export interface ScenarioResult { readonly file: string; readonly name: string; readonly passed: boolean; readonly error?: string }

const encode = (p: unknown) => (typeof p === 'string' ? p : JSON.stringify(p));

/**
 * Reads a scenario file. Hand-written files sometimes quote only the start of a value
 * (`name: "x" means y`), which strict YAML rejects; such a line is read as one plain string.
 */
export function readScenario(file: string): Scenario {
  const text = readFileSync(file, 'utf8');
  try {
    return parseYaml(text) as Scenario;
  } catch (err) {
    const mended = text.replace(/^(\s*[A-Za-z_]+):[ \t]+("[^"\n]*"[^\n]+)$/gm, (_m, key: string, value: string) => `${key}: ${JSON.stringify(value)}`);
    if (mended === text) throw err;
    return parseYaml(mended) as Scenario;
  }
}

export function scenarioFiles(paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    if (!existsSync(p)) throw new HearthError('scenario-missing', 'input', `${p}: no such scenario file or folder.`);
    if (statSync(p).isDirectory()) out.push(...scenarioFiles(readdirSync(p).sort().map((f) => join(p, f))));
    else if (/\.ya?ml$/.test(p)) out.push(p);
  }
  return out;
}

class Recorder {
  readonly seen: Seen[] = [];
  readonly turns = new Map<string, Record<string, unknown>>();
  /** Turns the hub ran from speech (no request id), in order. */
  readonly spoken: Record<string, unknown>[] = [];
  constructor(readonly client: MqttClient, private readonly turnTopic: string) {
    client.on('message', (topic, payload, packet) => {
      if (packet.retain) return; // what the broker held before we subscribed is not something the hub did
      const text = payload.toString('utf8');
      if (topic === turnTopic) {
        try {
          const t = JSON.parse(text) as Record<string, unknown>;
          if (typeof t['requestId'] === 'string') this.turns.set(t['requestId'], t);
          else this.spoken.push(t);
        } catch { /* not ours */ }
      }
      this.seen.push({ topic, payload: text });
    });
  }
}

const SITE = 'scenario';
export const SCENARIO_WAKE_WORDS = ['hey_jarvis', 'alexa', 'hey_mycroft', 'hey_rhasspy'];

/**
 * Streams a WAV clip to the hub as a Hermes satellite would (80 ms WAV chunks): silence before it (more
 * the first time: the wake models ignore the first 2 s of a stream), the clip, and silence after it as a
 * satellite keeps streaming, long enough for the endpointer to close any utterance: after the trailing
 * silence, or `noSpeechMs` after a wake word with no command.
 */
async function streamClip(client: MqttClient, path: string, first: boolean, noSpeechMs: number): Promise<void> {
  const { samples } = readWav16k(path); // any common WAV is resampled; a bad file is an error naming it
  const lead = (first ? 2.5 : 1.0) * 16000, trail = Math.round((Math.max(1500, noSpeechMs) + 500) * 16);
  const stream = new Int16Array(lead + samples.length + trail);
  stream.set(samples, lead);
  for (let i = 0; i < stream.length; i += 1280) {
    await client.publishAsync(`hermes/audioServer/${SITE}/audioFrame`, Buffer.from(encodeWav(stream.subarray(i, i + 1280))));
  }
}

async function waitFor<T>(fn: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined || Date.now() > end) return v;
    await sleep(5);
  }
}

export async function runScenario(file: string, brokerUrl: string | undefined, index: number): Promise<ScenarioResult> {
  let spec: Scenario;
  try {
    spec = readScenario(file);
  } catch (err) {
    return { file, name: file, passed: false, error: `cannot read scenario: ${(err as Error).message}` };
  }
  const name = spec.name ?? file;
  const hubId = `scenario${process.pid}x${index}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-scenario-'));
  let broker: EmbeddedBroker | undefined;
  let hub: Hub | undefined;
  let client: MqttClient | undefined;
  try {
    if (!brokerUrl) {
      broker = new EmbeddedBroker('127.0.0.1', 0, silentLogger);
      await broker.start();
    }
    const url = brokerUrl ?? broker!.url;
    client = await mqtt.connectAsync(url, { clientId: `hearth-scenarios-${hubId}` });
    for (const m of spec.home ?? []) await client.publishAsync(m.topic, encode(m.payload), { retain: true, qos: 1 });
    // Audio turns: the runner is a Hermes satellite streaming the clip; the hub listens for every shipped
    // wake word unless the scenario configures its own.
    const listens = (spec.turns ?? []).some((t) => t.audio !== undefined);
    const config = loadConfig({ env: {}, overrides: {
      ...(listens ? { audio: { source: 'hermes', hermesSiteIds: [SITE], queueMaxFrames: 10000 }, wake: { words: SCENARIO_WAKE_WORDS.map((id) => ({ id })) } } : {}),
      ...(spec.hub?.config ?? {}), hubId, dataDir, demo: false, mqtt: { ...((spec.hub?.config?.['mqtt'] as object) ?? {}), url },
      ...(spec.hub?.area ? { area: spec.hub.area } : {}), ...(spec.hub?.pin ? { pin: String(spec.hub.pin) } : {}),
      ...(spec.areas ? { areas: { ...((spec.hub?.config?.['areas'] as object) ?? {}), ...spec.areas } } : {}),
    } });
    hub = new Hub(config, silentLogger);
    await hub.start();
    const prefix = hub.topicPrefix;
    // "Commands the hub publishes" (FORMAT.md): everything outside its own prefix, less Shelly RPC replies and the
    // runner's own Hermes audio.
    const fromHub = (seen: Seen[]) => seen.filter((s) => !s.topic.startsWith(`${config.mqtt.topicPrefix}/`) && !s.topic.endsWith('/rpc') && !s.topic.startsWith('hermes/'));
    const rec = new Recorder(client, `${prefix}/turn`);
    await client.subscribeAsync('#', { qos: 1 });
    await sleep(250); // let the hub take in the retained home
    let turnNo = 0, firstAudio = true;
    for (const turn of spec.turns ?? []) {
      turnNo++;
      const where = `turn ${turnNo}`;
      if (turn.mqtt) {
        const payload = encode(turn.mqtt.payload);
        const from = rec.seen.length;
        await client.publishAsync(turn.mqtt.topic, payload, { qos: 1 });
        // Wait for our own message to come back, so it is not taken for something the hub published.
        await waitFor(() => (rec.seen.slice(from).some((s) => s.topic === turn.mqtt!.topic && s.payload === payload) ? true : undefined), 2000);
        continue;
      }
      if (turn.wait_ms !== undefined) { await sleep(Math.min(10000, Math.max(0, turn.wait_ms))); continue; }
      if (turn.new_session !== undefined) { await client.publishAsync(`${prefix}/say`, JSON.stringify({ text: '', newSession: true }), { qos: 1 }); await sleep(20); continue; }
      if (turn.learn !== undefined) { hub.learn(); continue; } // what the hub would do overnight
      if (turn.audio !== undefined) {
        const start = rec.seen.length, before = rec.spoken.length;
        try {
          await streamClip(client, resolve(dirname(file), turn.audio), firstAudio, config.endpoint.noSpeechMs);
        } catch (err) {
          return { file, name, passed: false, error: `${where}: ${(err as Error).message}` };
        }
        firstAudio = false;
        // A clip without a wake word must leave the hub silent: with no wake message 3 s after the clip, nothing is coming.
        const streamedAt = Date.now();
        const woke = () => rec.seen.slice(start).some((m) => m.topic === `${prefix}/wake`);
        const result = await waitFor(() => rec.spoken[before] ?? (!woke() && Date.now() - streamedAt > 3000 ? null : undefined), 20000) ?? undefined;
        if (!result && woke()) return { file, name, passed: false, error: `${where} (${turn.audio}): the wake word was heard but no turn came of it within 20 s` };
        if (!result) {
          const published = fromHub(rec.seen.slice(start));
          const why = check(turn.expect ?? {}, {}, published);
          if (why) return { file, name, passed: false, error: `${where} (${turn.audio}): no wake word was heard; ${why}` };
          continue;
        }
        await sleep(30);
        const published = fromHub(rec.seen.slice(start));
        const why = check(turn.expect ?? {}, result, published);
        if (why) return { file, name, passed: false, error: `${where} (${turn.audio}, heard "${String(result['text'])}"): ${why}` };
        continue;
      }
      if (turn.say === undefined) return { file, name, passed: false, error: `${where}: unknown turn kind ${Object.keys(turn).join(',')}` };
      const requestId = `${hubId}-${turnNo}`;
      const start = rec.seen.length;
      await client.publishAsync(`${prefix}/say`, JSON.stringify({ text: turn.say, requestId }), { qos: 1 });
      const result = await waitFor(() => rec.turns.get(requestId), 5000);
      if (!result) return { file, name, passed: false, error: `${where} "${turn.say}": the hub gave no answer within 5 s` };
      await sleep(30);
      const published = fromHub(rec.seen.slice(start));
      const why = check(turn.expect ?? {}, result, published);
      if (why) return { file, name, passed: false, error: `${where} "${turn.say}": ${why}` };
    }
    return { file, name, passed: true };
  } catch (err) {
    return { file, name, passed: false, error: (err as Error).message };
  } finally {
    if (client && brokerUrl) for (const m of spec.home ?? []) await client.publishAsync(m.topic, '', { retain: true }).catch(() => undefined);
    await client?.endAsync().catch(() => undefined);
    await hub?.stop().catch(() => undefined);
    await broker?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function check(e: Expect, turn: Record<string, unknown>, published: Seen[]): string | undefined {
  const speech = String(turn['speech'] ?? '');
  if (e.intent !== undefined && turn['intent'] !== e.intent) return `intent ${String(turn['intent'])}, expected ${e.intent} (said "${speech}")`;
  if (e.publish) {
    const ok = e.publish.length === published.length && e.publish.every((w, i) => messageMatches(w, published[i]!));
    if (!ok) return `published ${describe(published)}; expected ${describe(e.publish.map((w) => ({ topic: w.topic, payload: encode(w.payload ?? '*') })))} (said "${speech}")`;
  }
  for (const n of e.not_publish ?? []) if (published.some((s) => messageMatches(n, s))) return `published ${n.topic}, which it must not (said "${speech}")`;
  for (const s of e.speech_contains ?? []) if (!speech.toLowerCase().includes(s.toLowerCase())) return `said "${speech}", expected it to contain "${s}"`;
  for (const s of e.speech_not_contains ?? []) if (speech.toLowerCase().includes(s.toLowerCase())) return `said "${speech}", which contains "${s}"`;
  if (e.asks !== undefined && Boolean(turn['asks']) !== e.asks) return `asks=${String(turn['asks'])}, expected ${e.asks} (said "${speech}")`;
  return undefined;
}
