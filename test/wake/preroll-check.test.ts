/** tools/bench/preroll-check.ts: how a listen run's events become per-clip outcomes (the tool's numbers rest on it). */
import { describe, expect, it } from 'vitest';
import { outcomes } from '../../tools/bench/preroll-check.js';

describe('preroll-check outcomes', () => {
  const clips = [
    { word: 'hey_jarvis', voice: 'a', command: 0, startMs: 0, endMs: 5000 }, // "turn on the light"
    { word: 'alexa', voice: 'b', command: 1, startMs: 5000, endMs: 10000 }, // "what time is it"
    { word: 'alexa', voice: 'c', command: 1, startMs: 10000, endMs: 15000 },
    { word: 'alexa', voice: 'd', command: 0, startMs: 15000, endMs: 20000 },
  ];
  it('takes the first firing in a clip and the ASR text of the utterance it opened, read by the hub\'s NLU', () => {
    const events = [
      { event: 'wake', wakeWord: 'hey_jarvis', atMs: 3200 }, { event: 'utterance' }, { event: 'asr', text: 'jarvis put on light', rejected: false },
      { event: 'wake', wakeWord: 'alexa', atMs: 7600 }, { event: 'asr', text: 'turn on the light', rejected: false }, // the wrong command
      { event: 'wake', wakeWord: 'alexa', atMs: 12000 }, { event: 'asr', text: '', rejected: true },
      { event: 'wake', wakeWord: 'alexa', atMs: 13000 }, { event: 'asr', text: 'what time is it', rejected: false }, // a second firing: not counted
    ];
    expect(outcomes(clips, events)).toEqual([
      { woke: true, text: 'jarvis put on light', heard: true },
      { woke: true, text: 'turn on the light', heard: false },
      { woke: true, text: null, heard: false },
      { woke: false, text: null, heard: false },
    ]);
  });
});
