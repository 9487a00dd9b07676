/**
 * The GnuSpeech voices that tools/train/wake/data.py trains on: each voice's numbers must change the
 * voice: a training set of "different speakers" that all sound alike would teach nothing.
 */
import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../runtime/audio/wav.js';
import { loadGnuSpeech, synthesise, type GnuSpeechVoice } from '../../tools/train/wake/gnuspeech.js';

const neutral = { pulseRisePercent: 40, pulseFallPercent: 28, breathinessPercent: 1, radiusCoefs: [1, 1, 1, 1, 1, 1, 1, 1], pitchOffsetSemitones: 0 };
const man: GnuSpeechVoice = { ...neutral, vocalTractLengthCm: 17.5, glottalPitchSemitones: -12, tempo: 1 };
const child: GnuSpeechVoice = { ...neutral, vocalTractLengthCm: 12.5, glottalPitchSemitones: 10, tempo: 1 };

/** Median pitch in Hz over the voiced 40 ms windows (autocorrelation peak between 60 and 500 Hz). */
function medianPitchHz(x: Float32Array, rateHz: number): number {
  const win = Math.round(0.04 * rateHz);
  const peak = x.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  const pitches: number[] = [];
  for (let at = 0; at + win <= x.length; at += win) {
    const w = x.subarray(at, at + win);
    if (Math.sqrt(w.reduce((a, v) => a + v * v, 0) / win) < peak * 0.1) continue;
    let best = 0, bestLag = 0;
    for (let lag = Math.floor(rateHz / 500); lag <= Math.ceil(rateHz / 60); lag++) {
      let c = 0;
      for (let i = 0; i + lag < win; i++) c += w[i]! * w[i + lag]!;
      if (c > best) { best = c; bestLag = lag; }
    }
    if (bestLag) pitches.push(rateHz / bestLag);
  }
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)]!;
}

describe('GnuSpeech training voices', () => {
  it('says a wake phrase higher and in a shorter tract for a child than for a man, and slower at a lower tempo', async () => {
    const g = await loadGnuSpeech();
    const say = (text: string, v: GnuSpeechVoice) => decodeWav(synthesise(g, text, v), text);
    const a = say('hey jarvis', man), b = say('hey jarvis', child), slow = say('hey jarvis', { ...man, tempo: 0.7 });
    expect(a.info.sampleRateHz).toBe(44100);
    expect(medianPitchHz(b.mono, 44100)).toBeGreaterThan(1.8 * medianPitchHz(a.mono, 44100));
    expect(slow.mono.length).toBeGreaterThan(1.25 * a.mono.length);
  }, 30000);
});
