/**
 * One run per request, one record per run (issue: one run per request): a typed turn, a spoken turn from a Hermes
 * satellite, a wake word with nothing after it and speech the recogniser rejects each end in a turn record that
 * validates against runtime/types/turn-record.schema.json, on hearth/<hubId>/turn and in SQLite, with every stage's
 * output and timing (wake word and score, VAD cut, ASR engine and confidence, then the text stages).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import mqtt, { type MqttClient } from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';
import { reportCommand } from '../../runtime/cli/report.js';
import { NATURAL, speechSpan } from '../natural-clips.js';

const schema = JSON.parse(readFileSync(fileURLToPath(new URL('../../runtime/types/turn-record.schema.json', import.meta.url)), 'utf8')) as object;
const validate = new Ajv({ allErrors: true }).compile(schema);
const fixture = (f: string) => readWav16k(fileURLToPath(new URL(`../fixtures/audio/${f}`, import.meta.url))).samples;

describe('the turn record', () => {
  let hub: Hub;
  let client: MqttClient;
  const records: Record<string, unknown>[] = [];

  beforeAll(async () => {
    hub = new Hub(loadConfig({ env: {}, overrides: {
      hubId: 'rec', demo: false, dataDir: mkdtempSync(join(tmpdir(), 'hearth-record-')), embeddedBroker: { port: 0 },
      audio: { source: 'hermes', hermesSiteIds: ['kitchen'], queueMaxFrames: 1000 }, wake: { words: [{ id: 'hey_jarvis' }] },
    } }), silentLogger);
    await hub.start();
    client = await mqtt.connectAsync(hub.brokerUrl);
    client.on('message', (topic, payload) => { if (topic === 'hearth/rec/turn') records.push(JSON.parse(payload.toString()) as Record<string, unknown>); });
    await client.subscribeAsync('hearth/rec/turn');
    await client.publishAsync('tasmota/discovery/DC4F22000099/config', JSON.stringify({ ip: '10.0.0.9', dn: 'Kitchen Light', fn: ['Kitchen Light'], hn: 'kl', mac: 'DC4F22000099',
      md: 'Sonoff Basic', t: 'kitchen', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [2] }), { retain: true, qos: 1 });
    const end = Date.now() + 5000;
    while (hub.registry.all().length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  }, 30000);
  afterAll(async () => { await client?.endAsync(); await hub?.stop(); });

  /** Streams audio as a satellite does (a second of silence first, 3.5 s after: past endpoint.noSpeechMs) and waits for the run's record. */
  async function speak(samples: Int16Array): Promise<Record<string, unknown>> {
    const before = records.length;
    const stream = new Int16Array(16000 + samples.length + 56000);
    stream.set(samples, 16000);
    for (let i = 0; i < stream.length; i += 512) await client.publishAsync('hermes/audioServer/kitchen/audioFrame', Buffer.from(encodeWav(stream.subarray(i, i + 512))));
    const end = Date.now() + 20000;
    while (records.length === before && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(records.length, 'a record for the utterance').toBeGreaterThan(before);
    return records.at(-1)!;
  }

  /** The record is valid, and SQLite holds the same run with the same stages. */
  function checked(r: Record<string, unknown>): { stage: string; output: Record<string, unknown> | null; confidence?: number; errorCode?: string }[] {
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true);
    const row = (hub.interactionLog!.recent(50) as { id: string; stages_json: string; error_code: string | null }[]).find((x) => x.id === r['turnId']);
    expect(row, 'the run in SQLite').toBeDefined();
    expect(JSON.parse(row!.stages_json)).toEqual(r['stages']);
    expect(row!.error_code).toBe(r['errorCode']);
    return r['stages'] as ReturnType<typeof checked>;
  }

  it('a typed turn: the text stages, each timed', async () => {
    const before = records.length;
    hub.say('turn on the kitchen light');
    while (records.length === before) await new Promise((r) => setTimeout(r, 20));
    const r = records.at(-1)!;
    const stages = checked(r);
    expect(stages.map((s) => s.stage)).toEqual(['rewrite', 'nlu', 'resolve', 'policy', 'act', 'respond']);
    expect(r).toMatchObject({ source: 'text', intent: 'HassTurnOn', outcome: 'action-done', commands: [{ topic: 'cmnd/kitchen/POWER', payload: 'ON' }] });
    expect(stages.find((s) => s.stage === 'resolve')!.output).toMatchObject({ kind: 'resolved', action: { targets: [expect.stringContaining('tasmota')] } });
  });

  it('a spoken turn: wake word and score, the VAD cut, the ASR engine and confidence, then the same text stages', async () => {
    const r = await speak(fixture('hey-jarvis-command-slt.wav'));
    const stages = checked(r);
    expect(stages.map((s) => s.stage)).toEqual(['wake', 'vad', 'asr', 'rewrite', 'nlu', 'resolve', 'policy', 'act', 'respond']);
    expect(r).toMatchObject({ source: 'speech', siteId: 'kitchen', intent: 'HassTurnOn', errorCode: null });
    expect(stages[0]!.output).toMatchObject({ wakeWord: 'hey_jarvis', score: expect.any(Number) });
    expect(stages[1]!.output).toMatchObject({ endReason: 'silence' });
    expect(stages[2]!.output).toMatchObject({ text: r['text'], rejected: false, latencyMs: expect.any(Number), realTimeFactor: expect.any(Number) });
    expect(stages[2]!.confidence).toBeGreaterThan(0);
  }, 40000);

  it('a wake word with nothing after it, and speech the recogniser rejects: a record each, the failing stage named, nothing done', async () => {
    const alone = await speak(fixture('hey-jarvis-alone-espeak.wav'));
    expect(checked(alone).map((s) => s.stage)).toEqual(['wake', 'vad', 'asr']);
    expect(alone).toMatchObject({ source: 'speech', text: null, intent: null, errorCode: 'vad-no-speech', outcome: 'error', commands: [] });
    // A real "hey jarvis", then a real person reading a novel (natural-speech set).
    const w = readWav16k(join(NATURAL, 'wake/hey_jarvis_pmw2.wav')).samples, talk = readWav16k(join(NATURAL, 'negatives/libri_0880.wav')).samples;
    const both = new Int16Array(w.length + 4800 + talk.length);
    both.set(w.subarray(0, speechSpan(w)[1]));
    both.set(talk, speechSpan(w)[1] + 4800);
    const chatter = await speak(both);
    const stages = checked(chatter);
    expect(stages.map((s) => s.stage)).toEqual(['wake', 'vad', 'asr']);
    expect(chatter).toMatchObject({ text: null, errorCode: 'asr-rejected', commands: [] });
    expect(stages[2]).toMatchObject({ errorCode: 'asr-rejected', output: { rejected: true } });
    // `hearth report` reads them back: the false wake and the rejected speech, by stage and by wake word and engine.
    const lines: string[] = [];
    expect(reportCommand(hub.config, (l) => lines.push(l))).toBe(0);
    const text = lines.join('\n');
    expect(text).toMatch(/wake hey_jarvis +3 runs, median score [01]\.\d\d, 1 with no request after it/);
    expect(text).toMatch(/asr moonshine +2 runs: 1 heard \(median confidence [01]\.\d\d\), 1 rejected, 0 failed/);
    expect(text).toMatch(/2x {2}\(no words recognised\)/);
  }, 60000);
});
