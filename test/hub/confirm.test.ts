/**
 * Words the recogniser was not sure of never act silently: the hub asks "Did you say ...?" and acts on yes. The unsure
 * rule (asr.pocketsphinxConfirmBelow, rival hypotheses with the opposite action) and the dialogue, on the demo home.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import { needsConfirmation } from '../../runtime/asr/uncertain.js';
import type { Transcript } from '../../runtime/asr/engine.js';
import { openDatabase } from '../../runtime/store/db.js';
import { spokenTurn, VoiceTurns } from '../../runtime/learning/voices/kept.js';

const heard = (...h: [string, number][]): Transcript => ({
  hypotheses: h.map(([text, confidence]) => ({ text, confidence })), engine: 'test', latencyMs: 0, rejected: false,
  computeStats: { audioMs: 1000, processMs: 10, realTimeFactor: 0.01 },
});

describe('needsConfirmation', () => {
  it('asks when the top hypothesis is under the gate, or a close rival says the opposite action', () => {
    expect(needsConfirmation(heard(['turn on the lamp', 0.99]), 0.95)).toBe(false);
    expect(needsConfirmation(heard(['turn on the lamp', 0.9]), 0.95)).toBe(true);
    expect(needsConfirmation(heard(['lock the front door', 0.99], ['unlock the front door', 0.96]), 0.95)).toBe(true);
    expect(needsConfirmation(heard(['lock the front door', 0.99], ['unlock the front door', 0.5]), 0.95)).toBe(false); // a distant rival
    expect(needsConfirmation(heard(['turn on the lamp', 0.99], ['turn on a lamp', 0.98], ['turn off the lamp', 0.97]), 0.95)).toBe(true);
    expect(needsConfirmation(heard(['turn on the lamp', 0.99], ['turn on a lamp', 0.98], ['turn on lamp', 0.97]), 0.95)).toBe(false);
    expect(needsConfirmation(heard(['turn on the lamp', 0.99], ['a', 0.99], ['b', 0.99], ['turn off the lamp', 0.99]), 0.95)).toBe(false); // only the next two
  });
});

describe('the hub asks before acting on unsure words', () => {
  let hub: Hub;
  beforeAll(async () => {
    hub = new Hub(loadConfig({ env: {}, overrides: { dataDir: mkdtempSync(join(tmpdir(), 'hearth-confirm-')), embeddedBroker: { port: 0 }, pin: '4321' } }), silentLogger);
    await hub.start();
    const end = Date.now() + 5000;
    while (hub.registry.all().length < 8 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
  }, 20000);
  afterAll(async () => { await hub?.stop(); });

  it('"Did you say ...?", nothing sent; yes sends it', () => {
    hub.newSession();
    const asked = hub.say('turn on the kitchen light', { source: 'speech', confirm: true });
    expect(asked.response).toMatchObject({ speech: 'Did you say "turn on the kitchen light"?', outcome: 'asked', continueConversation: true });
    expect(asked.commands).toEqual([]);
    const yes = hub.say('yes', { source: 'speech', confirm: true }); // the answer itself may be unsure: a yes is a yes
    expect(yes.response.outcome).toBe('action-done');
    expect(yes.commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Kitchen Light/set']);
  });

  it('no cancels it; a sensitive action still needs the PIN after the yes', () => {
    hub.newSession();
    hub.say('turn off the kitchen light', { source: 'speech', confirm: true });
    const no = hub.say('no', { source: 'speech' });
    expect(no.response.outcome).toBe('cancelled');
    expect(no.commands).toEqual([]);
    hub.newSession();
    expect(hub.say('unlock the front door', { source: 'speech', confirm: true }).response.speech).toBe('Did you say "unlock the front door"?');
    const yes = hub.say('yes', { source: 'speech' });
    expect(yes.commands).toEqual([]);
    expect(yes.response.speech.toLowerCase()).toContain('pin');
  });

  it('asks about the words it would act on: the recogniser\'s next hypothesis when the top one does not work here', () => {
    hub.newSession();
    const asked = hub.say('turn on the moon', { source: 'speech', confirm: true, alternatives: ['turn on the kitchen light'] });
    expect(asked.response.speech).toBe('Did you say "turn on the kitchen light"?');
    expect(hub.say('yes', { source: 'speech' }).commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Kitchen Light/set']);
  });

  it('never keeps the audio of a request that asked for the PIN, nor of the PIN said after it (learning.keepVoiceTurns)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-confirm-voices-'));
    const voices = new VoiceTurns(openDatabase(join(dir, 'hearth.db')).db, dir, { keepVoiceTurns: true, voiceTurnsMax: 500, voiceTurnsMaxAgeDays: 90 });
    const audio = new Int16Array(16000);
    hub.newSession();
    const ask = hub.say('unlock the front door', { source: 'speech' });
    expect(ask.response.speech.toLowerCase()).toContain('pin');
    expect(voices.keep(spokenTurn(ask, heard(['unlock the front door', 0.99]), false, '4321'), audio)).toBe(false);
    // The PIN heard wrong, as words that are no PIN: still the answer to the question, still not kept.
    const answer = hub.say('turn on the kitchen light', { source: 'speech' });
    expect(voices.keep(spokenTurn(answer, heard(['turn on the kitchen light', 0.99]), false, '4321'), audio)).toBe(false);
    expect(voices.keep(spokenTurn(hub.say('turn off the kitchen light', { source: 'speech' }), heard(['turn off the kitchen light', 0.99]), false, '4321'), audio)).toBe(true);
    expect(voices.count()).toBe(1);
  });

  it('answers a question without asking: only actions wait for a yes', () => {
    hub.newSession();
    expect(hub.say('what is the temperature', { source: 'speech', confirm: true }).response.outcome).toBe('answered');
  });
});
