/**
 * The wake evaluation's voices (tools/wake-data/generate.ts). Set 0 is what every committed result was
 * measured on, so its voices must not move; a confirmation set (--set 1, 2) must share no clip's voice
 * settings with it, or "checked on audio it never saw" would not hold.
 */
import { describe, expect, it } from 'vitest';
import { reverberate, speechEndS, voices } from '../../tools/wake-data/generate.js';

describe('wake evaluation voices', () => {
  it('keeps set 0 as it was measured (ids carry speed, pitch and flite stretch)', () => {
    const ids = voices().map((v) => v.id);
    expect(ids).toHaveLength(76);
    expect(ids.slice(0, 3)).toEqual(['espeak-en-us-s130-p35', 'espeak-en-us+f1-s160-p45', 'espeak-en-us+f2-s190-p55']);
    expect(ids.slice(-3)).toEqual(['flite-slt-d0.85', 'flite-slt-d1', 'flite-slt-d1.2']);
  });

  it('says every voice of a confirmation set at settings set 0 never used, same speakers', () => {
    const base = new Set(voices(0).map((v) => v.id));
    for (const set of [1, 2]) {
      const ids = voices(set).map((v) => v.id);
      expect(ids).toHaveLength(76);
      expect(ids.filter((id) => base.has(id))).toEqual([]);
      const speaker = (id: string) => id.replace(/-s\d+-p\d+$|-d[\d.]+$/, '');
      expect(new Set(ids.map(speaker))).toEqual(new Set([...base].map(speaker)));
    }
  });

  it('reverberates like a room: same loudness, a tail that decays over the reverberation time', () => {
    const burst = new Int16Array(16000);
    for (let i = 0; i < 1600; i++) burst[i] = Math.round(8000 * Math.sin(i * 0.3)); // 100 ms of tone, then silence
    const wet = reverberate(burst, 0.5, 3);
    const rms = (x: Int16Array, from: number, to: number) => Math.sqrt(x.subarray(from, to).reduce((a, v) => a + v * v, 0) / (to - from));
    expect(rms(wet, 0, 16000) / rms(burst, 0, 16000)).toBeCloseTo(1, 2);
    const early = rms(wet, 1600, 3200), late = rms(wet, 6400, 8000); // 100-200 ms and 400-500 ms after the tone
    expect(early).toBeGreaterThan(100);
    expect(early / late).toBeGreaterThan(10); // 60 dB over 0.5 s is 36 dB over these 300 ms
    expect(rms(wet, 9600, 16000)).toBe(0); // nothing after the 0.5 s tail
  });

  it('ends a positive\'s speech at its last 10 ms over -40 dB of the loudest (wake-eval times firings from there)', () => {
    const x = new Int16Array(16000); // 1 s: a tone from 200 to 600 ms, a -50 dB hum after it
    for (let i = 3200; i < 9600; i++) x[i] = Math.round(10000 * Math.sin(i / 5));
    for (let i = 9600; i < 16000; i++) x[i] = i % 2 ? 30 : -30;
    expect(speechEndS(x)).toBe(0.6);
    for (let i = 9600; i < 12800; i++) x[i] = i % 2 ? 300 : -300; // -30 dB until 800 ms: still speech by this rule
    expect(speechEndS(x)).toBe(0.8);
    expect(speechEndS(new Int16Array(16000))).toBeNull();
  });
});
