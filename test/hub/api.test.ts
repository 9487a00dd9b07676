/**
 * The hub's MQTT API (runtime/hub/api.ts), message by message: what a client formats, the hub parses to the same
 * request, and what the hub formats, a client parses back unchanged. Bad requests come back as coded refusals.
 */
import { describe, expect, it } from 'vitest';
import { formatDevicesGet, formatMessage, formatSay, hubTopics, MAX_SAY_CHARS, parseDevicesGet, parseMessage, parseSay, parseStatus, type JsonMessages } from '../../runtime/hub/api.js';

describe('the hub\'s MQTT API', () => {
  it('names every topic under the hub\'s prefix', () => {
    expect(Object.values(hubTopics('hearth/h1')).every((t) => t.startsWith('hearth/h1/'))).toBe(true);
    expect(hubTopics('hearth/h1').asrPartial).toBe('hearth/h1/asr/partial');
  });

  it('say: a request round-trips; plain text is a request; empty, too long and broken JSON are refused with their codes', () => {
    const req = { text: 'turn on the kitchen light', requestId: 'r1', area: 'Kitchen', siteId: 'kitchen', newSession: true };
    expect(parseSay(formatSay(req))).toEqual({ ok: true, value: req });
    expect(parseSay(formatSay({ text: 'what time is it' }))).toEqual({ ok: true, value: { text: 'what time is it' } });
    expect(parseSay(Buffer.from('what time is it'))).toEqual({ ok: true, value: { text: 'what time is it' } });
    expect(parseSay('   ')).toEqual({ ok: false, code: 'say-empty' });
    expect(parseSay(JSON.stringify({ requestId: 'x' }))).toEqual({ ok: false, code: 'say-empty' });
    expect(parseSay('a'.repeat(MAX_SAY_CHARS + 1))).toEqual({ ok: false, code: 'say-too-long' });
    expect(parseSay('{"text": ')).toEqual({ ok: false, code: 'say-invalid-json' });
    expect(parseSay(JSON.stringify({ text: 'hi', siteId: 's'.repeat(500) })).ok && (parseSay(JSON.stringify({ text: 'hi', siteId: 's'.repeat(500) })) as { value: { siteId: string } }).value.siteId).toHaveLength(100);
  });

  it('devices/get: with and without a request id', () => {
    expect(parseDevicesGet(formatDevicesGet({ requestId: 'r2' }))).toEqual({ requestId: 'r2' });
    expect(parseDevicesGet(formatDevicesGet({ requestId: null }))).toEqual({ requestId: null });
    expect(parseDevicesGet('')).toEqual({ requestId: null });
  });

  it('every message the hub sends parses back unchanged; a payload that is not that message is undefined', () => {
    const samples: { [K in keyof JsonMessages]: JsonMessages[K] } = {
      turn: { turnId: 't1', sessionId: 's1', requestId: null, source: 'speech', siteId: 'kitchen', atMs: 1, text: 'turn on the lamp', intent: 'HassTurnOn',
        slots: { name: 'Lamp' }, speech: 'Turned on the Lamp.', outcome: 'action-done', asks: false, usedContext: ['name:Lamp'], errorCode: null,
        commands: [{ topic: 'zigbee2mqtt/Lamp/set', payload: '{"state":"ON"}' }],
        stages: [{ stage: 'wake', input: { siteId: 'kitchen' }, output: { wakeWord: 'hey_jarvis', score: 0.9 }, startMs: 1, endMs: 1, durationMs: 0, confidence: 0.9 }] },
      devices: { requestId: 'r2', devices: [{ id: 'z:1', name: 'Lamp', area: null, domain: 'light', adapter: 'zigbee2mqtt', aliases: [], capabilities: ['power'], available: true, state: { power: 'on' } }] },
      wake: { siteId: 'kitchen', wakeWord: 'hey_jarvis', score: 0.93, atMs: 1120 },
      utterance: { siteId: 'kitchen', wakeWord: 'hey_jarvis', startMs: 800, endMs: 3600, endReason: 'silence' },
      asrPartial: { siteId: 'kitchen', text: 'turn on' },
      refusals: { 'say-rate-limited': 30 },
      timers: { timers: [{ id: 'x1', siteId: 'kitchen', name: 'pizza', durationMs: 600000, leftMs: 420000, paused: false }] },
      timerFinished: { id: 'x1', siteId: 'kitchen', name: 'pizza', durationMs: 600000, endedAtMs: 1700000000000 },
      list: { list: 'shopping list', items: [{ item: 'milk', done: false }, { item: 'eggs', done: true }] },
    };
    for (const kind of Object.keys(samples) as (keyof JsonMessages)[]) {
      expect(parseMessage(kind, formatMessage(kind, samples[kind] as never)), kind).toEqual(samples[kind]);
      expect(parseMessage(kind, 'not json'), kind).toBeUndefined();
      if (kind !== 'refusals') expect(parseMessage(kind, '{}'), kind).toBeUndefined();
    }
    expect([parseStatus('online'), parseStatus('offline'), parseStatus('maybe')]).toEqual(['online', 'offline', undefined]);
  });
});
