/**
 * The household simulator (household.ts) through the real hub: weeks of requests train one hub, the learning job
 * runs, then a held-out week is said to it and to a fresh hub; `collect` receives defective first attempts with the
 * stage their fault was injected at (failure-eval.ts). run.ts is the command that reports it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import type { TurnResult } from '../../runtime/types/pipeline.js';
import { HOME, rng, week, type Request } from './household.js';
import type { FailureInput } from '../../runtime/learning/failure-model.js';
import { recognize } from '../../runtime/nlu/recognizer.js';
import { defectReport } from '../../runtime/learning/report.js';
import { openDatabase } from '../../runtime/store/db.js';
import type { FailureStage } from '../../runtime/learning/failure-point.js';

const DAY_MS = 86_400_000;

async function makeHub(clock: { now: number }): Promise<Hub> {
  const areas = Object.fromEntries(HOME.map((d) => [d.name, d.area]));
  const hub = new Hub(loadConfig({ env: {}, overrides: {
    dataDir: mkdtempSync(join(tmpdir(), 'hearth-sim-')), demo: false, embeddedBroker: { port: 0 }, area: 'Living Room', areas,
    learning: { nightlyHour: null }, log: { level: 'silent' },
  } }), silentLogger, { nowMs: () => clock.now });
  await hub.start();
  const client = await mqtt.connectAsync(hub.brokerUrl);
  const state = { type: 'binary', name: 'state', property: 'state', access: 7, value_on: 'ON', value_off: 'OFF' };
  await client.publishAsync('zigbee2mqtt/bridge/devices', JSON.stringify(HOME.map((d, i) => ({
    friendly_name: d.name, ieee_address: `0x00000000000${i}`, type: 'Router', supported: true,
    definition: { model: 'sim', vendor: 'sim', exposes: [d.kind === 'light' ? { type: 'light', features: [state] } : { type: 'switch', features: [state] }] },
  }))), { retain: true, qos: 1 });
  await client.endAsync();
  const end = Date.now() + 5000;
  while (hub.registry.all().length < HOME.length && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return hub;
}

/** Right when the hub switched exactly the meant device the meant way. */
function judge(r: TurnResult, q: Request): boolean {
  return r.commands.length === 1 && r.commands[0]!.topic === `zigbee2mqtt/${q.device}/set` && r.commands[0]!.payload.includes(`"${q.power.toUpperCase()}"`);
}

export interface SimReport { train: Record<string, number>; heldOut: { requests: number; defectsBefore: number; defectsAfter: number; wins: number; losses: number } }

/** A defective first attempt as the failure-point model sees it, with the stage its fault was injected at. */
export type Collect = (x: FailureInput, truth: FailureStage) => void;

const VOCABULARY: ReadonlySet<string> = new Set(HOME.flatMap((d) => `${d.name} ${d.area}`.toLowerCase().split(' ')));

type Reaction = 'no' | 'barge-in' | 'by-hand';

function facts(q: Request, r: TurnResult, said: Reaction | undefined, next: TurnResult | undefined): FailureInput {
  const rewrite = (r.stages.find((st) => st.stage === 'rewrite')?.output as { source?: string } | null)?.source;
  return {
    source: 'speech', outcome: r.response.outcome, errorCode: r.errorCode ?? null, intent: r.intent ?? null, targets: r.commands.map((c) => c.deviceId),
    reason: said === 'no' ? 'explicit-negative' : said === 'barge-in' ? 'barge-in' : said === 'by-hand' ? 'reversal' : next ? 'rephrase' : 'failed', rewrite: rewrite && rewrite !== 'none' ? rewrite : null,
    text: q.heard, unknownName: r.slots?.unknown_name ?? null, nextText: next ? q.rephrase ?? null : null, vocabulary: VOCABULARY,
    ...(next ? { next: { intent: next.intent ?? null, targets: next.commands.map((c) => c.deviceId), outcome: next.response.outcome } } : {}),
  };
}

/**
 * The stage that failed first and irrecoverably: a recogniser slip counts only when the words as said
 * would have worked; otherwise the failure is the next fault's (a nickname, a phrasing the rules miss).
 */
function decisiveFault(q: Request, hub: Hub): FailureStage {
  const [first, ...rest] = q.faults;
  if (first !== 'asr' || rest.length === 0 || !q.said) return first!;
  const m = recognize(q.said, hub.lexicon());
  return m && !m.slots.unknown_name ? 'asr' : rest[0]!;
}

/** Waits until the hub's registry shows the device's power as `power` (the bridge's state message went through the broker). */
async function seen(hub: Hub, device: string, power: 'on' | 'off'): Promise<void> {
  const end = Date.now() + 3000;
  while (hub.registry.all().find((d) => d.device.name === device)?.state.values['power'] !== power && Date.now() < end) await new Promise((x) => setTimeout(x, 5));
}

/**
 * Someone puts right by hand what the hub did wrong: the device first reports what it was told (as a
 * real bridge does), then, a few seconds later, the wall switch sets it back. The hub sees a reversal.
 */
async function reverseByHand(hub: Hub, client: mqtt.MqttClient, r: TurnResult, clock: { now: number }): Promise<void> {
  for (const c of r.commands) {
    const name = c.topic.replace(/^zigbee2mqtt\//, '').replace(/\/set$/, '');
    const on = c.payload.includes('"ON"');
    await client.publishAsync(`zigbee2mqtt/${name}`, JSON.stringify({ state: on ? 'ON' : 'OFF' }));
    await seen(hub, name, on ? 'on' : 'off');
    clock.now += 8000;
    await client.publishAsync(`zigbee2mqtt/${name}`, JSON.stringify({ state: on ? 'OFF' : 'ON' }));
    await seen(hub, name, on ? 'off' : 'on');
  }
}

async function allOff(hub: Hub, client: mqtt.MqttClient): Promise<void> {
  for (const d of HOME) {
    await client.publishAsync(`zigbee2mqtt/${d.name}`, JSON.stringify({ state: 'OFF' }));
    await seen(hub, d.name, 'off');
  }
}

export async function simulate(weeks: number, seed: number, collect?: Collect): Promise<SimReport> {
  const clock = { now: Date.UTC(2026, 0, 5) };
  const trained = await makeHub(clock);
  const client = await mqtt.connectAsync(trained.brokerUrl);
  const train = week(seed, clock.now, weeks * 7);
  const react = rng(seed * 7919 + 1);
  let trainDefects = 0;
  const reactions = { 'no': 0, 'barge-in': 0, 'by-hand': 0, 'barge-in-rephrase': 0 };
  for (const q of train) {
    clock.now = q.atMs;
    trained.newSession();
    const r = trained.say(q.heard, { source: 'speech' });
    if (judge(r, q)) continue;
    trainDefects++;
    // The wrong thing happened: people say so, cut the reply off with the wake word, or put it right by hand.
    const x = react();
    const said: Reaction | undefined = r.commands.length === 0 ? undefined : x < 0.4 ? 'no' : x < 0.7 ? 'barge-in' : 'by-hand';
    if (said) reactions[said]++;
    if (said === 'no') { clock.now += 3000; trained.say('no, that is wrong', { source: 'speech' }); }
    if (said === 'barge-in') { clock.now += 1200; trained.wakeHeard(); }
    if (said === 'by-hand') await reverseByHand(trained, client, r, clock);
    let next: TurnResult | undefined;
    if (q.rephrase) {
      // Some start the rephrase over the hub's apology, wake word first: a barge-in on the failed turn.
      if (!said && react() < 0.3) { clock.now += 900; trained.wakeHeard(); reactions['barge-in-rephrase']++; }
      clock.now += 4000;
      next = trained.say(q.rephrase, { source: 'speech' });
    }
    if (collect && q.faults.length > 0) collect(facts(q, r, said, next), decisiveFault(q, trained));
  }
  clock.now = train.at(-1)!.atMs + DAY_MS / 2;
  const learned = trained.learn()!;
  const fresh = await makeHub(clock);
  // The trained hub knows the devices' states from the hand reversals; the fresh one must know the same, or
  // state-aware resolution ("turn off the light": the one that is on) would differ for reasons other than learning.
  await allOff(trained, client);
  const freshClient = await mqtt.connectAsync(fresh.brokerUrl);
  await allOff(fresh, freshClient);
  await freshClient.endAsync();
  const test = week(seed + 1000, clock.now + DAY_MS / 2, 14);
  let before = 0, after = 0, wins = 0, losses = 0;
  for (const q of test) {
    clock.now = q.atMs;
    fresh.newSession();
    trained.newSession();
    const a = judge(fresh.say(q.heard, { source: 'speech' }), q);
    const b = judge(trained.say(q.heard, { source: 'speech' }), q);
    if (!a) before++;
    if (!b) after++;
    if (!a && b) wins++;
    if (a && !b) losses++;
  }
  const signals = defectReport(openDatabase(join(trained.config.dataDir, 'hearth.db')).db, trained.config.learning).bySignal;
  await client.endAsync();
  await fresh.stop();
  await trained.stop();
  return { train: { ...learned, requests: train.length, trainingDefects: trainDefects, saidNo: reactions['no'], bargeIns: reactions['barge-in'] + reactions['barge-in-rephrase'], reversals: reactions['by-hand'],
    loggedBargeIns: signals['barge-in'] ?? 0, loggedReversals: signals['reversal'] ?? 0 }, heldOut: { requests: test.length, defectsBefore: before, defectsAfter: after, wins, losses } };
}

