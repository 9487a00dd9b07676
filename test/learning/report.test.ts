/** Failure points from a real hub's log: each defect is put on the stage that failed first. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { openDatabase } from '../../runtime/store/db.js';
import { defectReport } from '../../runtime/learning/report.js';
import { failurePoint } from '../../runtime/learning/failure-point.js';

let hub: Hub;
let dir: string;
const clock = { now: 1_000_000 };
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hearth-report-'));
  hub = new Hub(loadConfig({ env: {}, overrides: { dataDir: dir, embeddedBroker: { port: 0 }, learning: { nightlyHour: null } } }), silentLogger, { nowMs: () => clock.now });
  await hub.start();
  const end = Date.now() + 5000;
  while (hub.registry.all().length < 8 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}, 20000);
afterAll(async () => { await hub?.stop(); });

const say = (text: string, afterMs = 60_000) => { clock.now += afterMs; hub.newSession(); return hub.say(text); };

describe('hearth report', () => {
  it('puts each defect on its stage and lists the requests that fail most', () => {
    say('flurb the blorp');                       // nlu: not understood
    say('flurb the blorp');
    say('turn on the aquarium');                  // resolve: no such device
    say('what is the weather like');              // result: understood, but no weather source here
    say('turn on the kitchen light');             // success
    clock.now += 60_000;
    hub.say('turn on the living room lamp');      // did something...
    clock.now += 3_000;
    hub.say("no, that's wrong");                  // ...and it was wrong
    clock.now += 3_000;
    hub.say('turn on the bedroom lamp');          // what was meant: another device -> resolve
    const { db } = openDatabase(join(dir, 'hearth.db'));
    const r = defectReport(db, hub.config.learning);
    expect(r.byStage).toEqual({ wake: 0, asr: 0, nlu: 2, resolve: 2, result: 1 });
    expect(r.defects).toBe(5);
    expect(r.turns).toBe(7); // "no, that's wrong" is feedback, not a request
    expect(r.top[0]).toEqual({ text: 'flurb the blorp', count: 2, stage: 'nlu' });
  });

  it('blames the recogniser, not understanding, for words that came from audio', () => {
    expect(failurePoint({ source: 'speech', outcome: 'no-match', errorCode: 'intent-no-match', intent: null, targets: [], reason: 'failed', rewrite: null })).toBe('asr');
    expect(failurePoint({ source: 'text', outcome: 'action-done', errorCode: null, intent: 'HassTurnOn', targets: ['a'], reason: 'explicit-negative', rewrite: 'personal',
      next: { intent: 'HassTurnOff', targets: ['a'], outcome: 'action-done' } })).toBe('nlu');
    expect(failurePoint({ source: 'text', outcome: 'action-done', errorCode: null, intent: 'HassTurnOn', targets: ['a'], reason: 'success', rewrite: null })).toBeUndefined();
  });
});

describe('reversals', () => {
  it('a device switched back by hand soon after a voice command marks that command a defect', async () => {
    const mqtt = (await import('mqtt')).default;
    const client = await mqtt.connectAsync(hub.brokerUrl);
    clock.now += 600_000;
    hub.newSession();
    const r = hub.say('turn on the bedroom lamp');
    // The demo lamp reports ON (confirming the command); then someone switches it off at the wall.
    const deadline = Date.now() + 3000;
    while (hub.registry.all().find((d) => d.device.name === 'Bedroom Lamp')!.state.values['power'] !== 'on' && Date.now() < deadline) await new Promise((x) => setTimeout(x, 20));
    clock.now += 10_000;
    await client.publishAsync('zigbee2mqtt/Bedroom Lamp', JSON.stringify({ state: 'OFF', brightness: 120, color_temp: 400 }));
    while (hub.registry.all().find((d) => d.device.name === 'Bedroom Lamp')!.state.values['power'] !== 'off' && Date.now() < deadline + 3000) await new Promise((x) => setTimeout(x, 20));
    await client.endAsync();
    const { db } = openDatabase(join(dir, 'hearth.db'));
    const ev = db.prepare('SELECT kind FROM feedback_events WHERE turn_id = ?').all(r.turnId);
    expect(ev).toEqual([{ kind: 'reversal' }]);
    const report = defectReport(db, hub.config.learning);
    expect(report.byStage.result + report.byStage.resolve + report.byStage.nlu).toBeGreaterThanOrEqual(6); // the reversed turn is a defect now
  }, 20000);
});

describe('barge-ins', () => {
  it('the wake word while a spoken reply plays marks that turn a defect; after the reply it is a new request', () => {
    clock.now += 600_000;
    hub.newSession();
    const r = hub.say('turn on the kitchen light', { source: 'speech', siteId: 'kitchen' });
    clock.now += 800; // the reply ("Turned on the Kitchen Light.") is still being spoken
    expect(hub.wakeHeard('living-room')).toBeUndefined(); // another satellite: not this reply
    expect(hub.wakeHeard('kitchen')).toBe(r.turnId);
    clock.now += 600_000;
    const later = hub.say('turn off the kitchen light', { source: 'speech', siteId: 'kitchen' });
    clock.now += 30_000; // long after the reply ended
    expect(hub.wakeHeard('kitchen')).toBeUndefined();
    const typed = hub.say('turn on the kitchen light'); // typed text gets no spoken reply to cut off
    clock.now += 500;
    expect(hub.wakeHeard('local')).toBeUndefined();
    const { db } = openDatabase(join(dir, 'hearth.db'));
    const kinds = (id: string) => db.prepare('SELECT kind FROM feedback_events WHERE turn_id = ?').all(id);
    expect(kinds(r.turnId)).toEqual([{ kind: 'barge-in' }]);
    expect(kinds(later.turnId)).toEqual([]);
    expect(kinds(typed.turnId)).toEqual([]);
  });

  it('labels a barged-in turn a defect with the reason', async () => {
    const { labelTurns } = await import('../../runtime/learning/feedback.js');
    const base = { sessionId: 's', text: 'turn on the kitchen light', outcome: 'action-done', errorCode: null, intent: 'HassTurnOn' };
    const labels = labelTurns([{ ...base, id: 'a', atMs: 0, bargedInAtMs: 900 }, { ...base, id: 'b', atMs: 600_000 }], hub.config.learning);
    expect(labels).toEqual([{ id: 'a', defect: true, reason: 'barge-in' }, { id: 'b', defect: false, reason: 'success' }]);
  });
});

describe('the learned failure-point model (models/failure-point)', () => {
  it('tells a false wake, a misheard name, a nickname and an unsupported request apart', async () => {
    const { loadFailureModel, predictStage, failureFeatures } = await import('../../runtime/learning/failure-model.js');
    const { DEFAULT_MODELS_DIR } = await import('../../runtime/models/manifest.js');
    const model = loadFailureModel(DEFAULT_MODELS_DIR)!;
    const vocabulary = new Set(['living', 'room', 'lamp', 'big', 'screen', 'kitchen', 'light']);
    const base = { source: 'speech', errorCode: null, targets: [], rewrite: null, unknownName: null, nextText: null, vocabulary } as const;
    const stage = (x: Parameters<typeof failureFeatures>[0]) => predictStage(model, failureFeatures(x));
    expect(stage({ ...base, outcome: 'no-match', intent: null, reason: 'failed', text: 'stay tuned for the weather after the break' })).toBe('wake');
    expect(stage({ ...base, outcome: 'no-device', intent: 'HassTurnOn', reason: 'rephrase', text: 'turn on the living room lamb', unknownName: 'lamb',
      nextText: 'turn on the living room lamp', next: { intent: 'HassTurnOn', targets: ['x'], outcome: 'action-done' } })).toBe('asr');
    expect(stage({ ...base, outcome: 'no-device', intent: 'HassTurnOn', reason: 'rephrase', text: 'turn on the telly', unknownName: 'telly',
      nextText: 'turn on the big screen', next: { intent: 'HassTurnOn', targets: ['x'], outcome: 'action-done' } })).toBe('resolve');
    expect(stage({ ...base, outcome: 'not-supported', intent: 'HassGetWeather', reason: 'failed', text: 'what is the weather like tomorrow' })).toBe('result');
  });
});

describe('reversal watcher', () => {
  it('counts a device that was already in the commanded state and then switched back by hand', async () => {
    const { ReversalWatcher } = await import('../../runtime/learning/reversal.js');
    const seen: string[] = [];
    const w = new ReversalWatcher(60_000, (turnId) => seen.push(turnId));
    const cmd = [{ adapter: 'zigbee2mqtt', deviceId: 'lamp', topic: 'zigbee2mqtt/Lamp/set', payload: '{"state":"ON"}', qos: 1 as const, retain: false }];
    w.commanded('t1', cmd, 'on', 0, () => 'on'); // already on: the bridge reports no change
    w.stateChanged('lamp', 'off', 5_000);         // the wall switch
    w.commanded('t2', cmd, 'on', 100_000, () => 'off');
    w.stateChanged('lamp', 'off', 101_000);       // not yet confirmed: a stale report, not a reversal
    w.stateChanged('lamp', 'on', 102_000);
    w.stateChanged('lamp', 'off', 300_000);       // too late: outside the window
    expect(seen).toEqual(['t1']);
  });
});
