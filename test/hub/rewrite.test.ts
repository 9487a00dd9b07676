/** Rewrites inside the hub: applied before understanding, logged with their id, never past the PIN. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';
import type { RewrittenText } from '../../runtime/types/pipeline.js';

let hub: Hub;
beforeAll(async () => {
  hub = new Hub(loadConfig({ env: {}, overrides: { dataDir: mkdtempSync(join(tmpdir(), 'hearth-rwhub-')), embeddedBroker: { port: 0 }, pin: '1234' } }), silentLogger);
  await hub.start();
  const end = Date.now() + 5000;
  while (hub.registry.all().length < 8 && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
}, 20000);
afterAll(async () => { await hub?.stop(); });

describe('rewrites in the hub', () => {
  it('carries out a taught rewrite and logs which one', () => {
    const rw = hub.rewriteCache!.add('taught', 'movie time', 'turn off the living room lamp');
    const r = hub.say('Movie time!');
    expect(r.intent).toBe('HassTurnOff');
    expect(r.commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Living Room Lamp/set']);
    const stage = r.stages.find((s) => s.stage === 'rewrite')!.output as RewrittenText;
    expect(stage).toMatchObject({ source: 'taught', ruleId: rw.id, original: 'Movie time!' });
  });

  it('still asks for the PIN when a taught rewrite leads to unlocking', () => {
    hub.rewriteCache!.add('taught', 'open sesame', 'unlock the front door');
    const first = hub.say('open sesame');
    expect(first.commands).toEqual([]);
    expect(first.response.speech).toContain('PIN');
    expect(hub.say('one two three four').commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Front Door/set']);
  });

  it('leaves a request that works alone when only a similar one is cached', () => {
    hub.rewriteCache!.add('personal', 'turn on the kitchen lite', 'turn on the bedroom lamp', 5);
    const r = hub.say('turn on the kitchen light');
    expect(r.commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Kitchen Light/set']);
  });

  it('takes the ASR n-best only when the top hypothesis does not work here, and the PIN still guards', () => {
    // Top: a misheard name; the second hypothesis names a real device.
    const r = hub.say('turn on the kit and lie', { source: 'speech', alternatives: ['turn on the kitchen light', 'turn on the kitchen lamp'] });
    expect(r.commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Kitchen Light/set']);
    expect(r.stages.find((s) => s.stage === 'rewrite')!.output).toMatchObject({ source: 'nbest', alternative: 2, original: 'turn on the kit and lie' });
    // A top hypothesis that works is never replaced by an alternative.
    const top = hub.say('turn off the bedroom lamp', { source: 'speech', alternatives: ['turn off the kitchen light'] });
    expect(top.commands.map((c) => c.topic)).toEqual(['zigbee2mqtt/Bedroom Lamp/set']);
    // An alternative that would unlock a door is a request like any other: confirmation and PIN first.
    const door = hub.say('flock the front floor', { source: 'speech', alternatives: ['unlock the front door'] });
    expect(door.commands).toEqual([]);
    expect(door.response.speech).toContain('PIN');
    hub.say('never mind');
  });
});
