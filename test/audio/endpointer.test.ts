/** Endpointing as data: speech probabilities per 80 ms frame in, utterance boundaries out. */
import { describe, expect, it } from 'vitest';
import { Endpointer, prerollReachMs } from '../../runtime/audio/endpointer.js';
import type { AudioFrame, Utterance } from '../../runtime/types/audio.js';

const settings = { prerollMs: 300, trailingSilenceMs: 700, maxUtteranceMs: 4000, noSpeechMs: 2000, speechThreshold: 0.5 };
const frame = (i: number): AudioFrame => ({ samples: new Int16Array(1280), startMs: i * 80 });

/** `probs` per frame; the wake word fires at the end of frame `wakeAt`. */
function cut(probs: number[], wakeAt: number): Utterance | undefined {
  const e = new Endpointer(settings);
  let out: Utterance | undefined;
  probs.forEach((p, i) => {
    if (i === wakeAt) e.wake({ wakeWordId: 'w', score: 0.9, atMs: (i + 1) * 80 });
    for (const ev of e.push(frame(i), p)) if (ev.kind === 'utterance') out ??= ev.utterance;
  });
  for (const ev of e.finish()) if (ev.kind === 'utterance') out ??= ev.utterance;
  return out;
}

const speech = (n: number) => Array<number>(n).fill(0.9);
const quiet = (n: number) => Array<number>(n).fill(0.05);

describe('endpointer', () => {
  it('keeps the pre-roll and ends after 700 ms of silence once the command was spoken', () => {
    // wake word frames 10-19, a pause, the command frames 24-38, then silence
    const u = cut([...quiet(10), ...speech(10), ...quiet(4), ...speech(15), ...quiet(20)], 19)!;
    expect(u.endReason).toBe('silence');
    expect(u.startMs).toBe(16 * 80); // at least 300 ms before the wake event at 1600 ms: frame 16 (1280-1360 ms) holds 1300 ms
    expect(u.endMs).toBe((39 + 9) * 80); // nine silent frames (720 ms) after the last speech frame 38
  });

  it('a pause right after the wake word does not end the utterance', () => {
    const u = cut([...quiet(10), ...speech(10), ...quiet(12), ...speech(5), ...quiet(20)], 19)!;
    expect(u.endReason).toBe('silence');
    expect(u.endMs).toBeGreaterThan(37 * 80);
  });

  it('waits through a pause after the wake word, its speech tail included, for the command (0.3, 0.8, 1.5 s)', () => {
    // The VAD still hears the wake word for 4 frames after it fired (frames 20-23, 320 ms), then the pause, then the command.
    for (const pauseFrames of [4, 10, 19]) {
      const commandFrom = 24 + pauseFrames;
      const u = cut([...quiet(10), ...speech(14), ...quiet(pauseFrames), ...speech(15), ...quiet(20)], 19)!;
      expect(u.endReason, `pause ${pauseFrames * 80} ms`).toBe('silence');
      expect(u.endMs).toBe((commandFrom + 15 + 9) * 80); // nine silent frames after the command's last frame
    }
  });

  it('a wake word with no command after it ends as no-speech, its own speech tail notwithstanding', () => {
    const u = cut([...quiet(10), ...speech(15), ...quiet(60)], 19)!;
    expect(u.endReason).toBe('no-speech');
    expect(u.endMs - 20 * 80).toBe(2000);
  });

  it('a command run into the wake word counts as speech once it outlasts the word\'s tail', () => {
    // "hey jarvis turn on the light" in one breath: speech from frame 10 to 34, wake at 19, the command past 480 ms.
    const u = cut([...quiet(10), ...speech(25), ...quiet(20)], 19)!;
    expect(u.endReason).toBe('silence');
    expect(u.endMs).toBe((35 + 9) * 80);
  });

  it('ends as no-speech when nobody speaks after the wake word', () => {
    const u = cut([...quiet(10), ...speech(10), ...quiet(60)], 19)!;
    expect(u.endReason).toBe('no-speech');
    expect(u.endMs - 20 * 80).toBe(2000);
  });

  it('ends at the maximum length when speech never stops', () => {
    const u = cut([...quiet(10), ...speech(100)], 19)!;
    expect(u.endReason).toBe('max-length');
    expect(u.endMs - 20 * 80).toBe(4000);
  });

  it('opens nothing without a wake word', () => {
    expect(cut([...speech(30), ...quiet(30)], -1)).toBeUndefined();
  });

  it('streams the utterance as it comes: the pre-roll at the start, then each frame, adding up to the whole', () => {
    const e = new Endpointer(settings);
    const probs = [...quiet(10), ...speech(10), ...quiet(4), ...speech(15), ...quiet(20)];
    let preroll = 0, streamed = 0, whole = 0;
    probs.forEach((p, i) => {
      const evs = [...(i === 19 ? e.wake({ wakeWordId: 'w', score: 0.9, atMs: 1600 }) : []), ...e.push(frame(i), p)];
      for (const ev of evs) {
        if (ev.kind === 'utterance-start') preroll = ev.preroll.length;
        if (ev.kind === 'utterance-frame') streamed++;
        if (ev.kind === 'utterance') whole = ev.utterance.frames.length;
      }
    });
    expect(preroll).toBe(3);
    expect(preroll + streamed).toBe(whole);
  });

  it('starts the utterance prerollReachMs before the firing frame ends, whatever the pre-roll', () => {
    for (const prerollMs of [0, 80, 240, 300, 320, 400]) {
      const e = new Endpointer({ ...settings, prerollMs });
      let startMs: number | undefined;
      for (let i = 0; i < 30; i++) {
        // Frame i covers [80 i, 80 (i + 1)); the word fires as frame 19 ends, at 1600 ms, before that frame is pushed.
        const evs = [...(i === 19 ? e.wake({ wakeWordId: 'w', score: 0.9, atMs: 1600 }) : []), ...e.push(frame(i), 0.9)];
        for (const ev of evs) if (ev.kind === 'utterance-start') startMs = ev.preroll[0]?.startMs ?? 1520; // none: the firing frame's start
      }
      expect(1600 - startMs!).toBe(prerollReachMs(prerollMs));
    }
    expect(prerollReachMs(300)).toBe(320);
  });
});
