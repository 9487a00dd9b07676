/**
 * Generates the wake-word evaluation set from Debian's espeak-ng and flite voices (never festival:
 * its voices are kept for independent held-out checks):
 *   positives/<word>/...     each wake phrase by many voices: clean and at 20 dB SNR (pink noise), the
 *                            conditions the accuracy goal is measured on; and harder ones reported beside
 *                            it: 10 and 5 dB SNR, and a reverberant room (RT60 0.5 s, direct-to-reverberant 0 dB)
 *   negatives/speech/...     about an hour of everyday speech without a wake word
 *   negatives/nearmiss/...   words that sound close to a wake word
 *   negatives/noise|music/   noise colours and music-like tones
 * labels.json lists every file. Files that exist are kept, so a stopped run resumes.
 *
 * --set N (default 0) makes another set from the same voices and texts, said at other speeds and
 * pitches, with the phrases, near-miss speakers, sentences and noise shifted: a confirmation set for
 * a choice already made while looking at set 0 (which model, which threshold), so that choice is
 * checked on audio it never saw. Set 0 is the set every result before 2026-11-22 was measured on.
 *
 *   node dist/tools/wake-data/generate.js <out-folder> [--minutes 60] [--set 0]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';
import { frameEnergyDbfs } from '../../runtime/audio/noise-floor.js';
import { GOAL_SETS } from '../eval/wake.js';
import { NEAR_MISSES, sentence, WAKE_PHRASES } from './text.js';

interface Voice { readonly id: string; say(text: string, wav: string): void }
/** `wakeEndS`: on positives that say the wake word alone, where it ends (wake-eval times the firing from there). */
export interface Label { readonly file: string; readonly kind: 'positive' | 'negative'; readonly word?: string; readonly set: string; readonly voice: string; readonly seconds: number; readonly snrDb?: number; readonly reverbRt60S?: number; readonly wakeEndS?: number }

/** How each positive is heard. Seed offsets keep every condition's noise its own (clean and snr20's are those of set 0 before). */
const CONDITIONS: readonly { set: string; snrDb?: number; noiseSeed: number; reverbRt60S?: number }[] = [
  { set: 'clean', noiseSeed: 0 },
  { set: 'snr20', snrDb: 20, noiseSeed: 7 },
  { set: 'snr10', snrDb: 10, noiseSeed: 11 },
  { set: 'snr5', snrDb: 5, noiseSeed: 13 },
  { set: 'reverb', reverbRt60S: 0.5, noiseSeed: 17 },
];

const ESPEAK = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-029', 'en-us-nyc', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd'];
const VARIANTS = ['', '+f1', '+f2', '+f3', '+f4', '+m1', '+m3', '+m5'];
const FLITE = ['kal16', 'awb', 'rms', 'slt'];

/** The evaluation's voices; set N > 0 says them at other speeds and pitches (same speakers). */
export function voices(set = 0): Voice[] {
  const out: Voice[] = [];
  for (const [i, v] of ESPEAK.entries()) {
    for (const [j, variant] of VARIANTS.entries()) {
      const speed = 130 + ((i + j + set) % 3) * 30 + (set % 3) * 10;
      const pitch = 35 + ((i * 3 + j + set) % 4) * 10 + (set % 2) * 5;
      out.push({ id: `espeak-${v}${variant}-s${speed}-p${pitch}`, say: (t, wav) => execFileSync('espeak-ng', ['-v', `${v}${variant}`, '-s', String(speed), '-p', String(pitch), '-w', wav, t]) });
    }
  }
  for (const v of FLITE) {
    for (const stretch of [0.85, 1, 1.2].map((d) => Number((d * (1 + 0.05 * set)).toFixed(3)))) {
      out.push({ id: `flite-${v}-d${stretch}`, say: (t, wav) => execFileSync('flite', ['-voice', v, '--setf', `duration_stretch=${stretch}`, '-t', t, '-o', wav]) });
    }
  }
  return out;
}

/** Deterministic pink noise (Paul Kellet's filter over a seeded generator), unit RMS. */
export function pinkNoise(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const rnd = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return ((s >>> 0) / 0xffffffff) * 2 - 1; };
  const out = new Float32Array(n);
  let b0 = 0, b1 = 0, b2 = 0;
  for (let i = 0; i < n; i++) {
    const w = rnd();
    b0 = 0.99765 * b0 + w * 0.099046; b1 = 0.963 * b1 + w * 0.2965164; b2 = 0.57 * b2 + w * 1.0526913;
    out[i] = b0 + b1 + b2 + w * 0.1848;
  }
  const rms = Math.sqrt(out.reduce((a, x) => a + x * x, 0) / n) || 1;
  return out.map((x) => x / rms);
}

function rms(x: Int16Array): number {
  let a = 0;
  for (const v of x) a += v * v;
  return Math.sqrt(a / Math.max(1, x.length));
}

const END_WINDOW_SAMPLES = 160; // 10 ms

/**
 * Where the speech in a clip ends, in seconds from its start: the end of its last 10 ms window over -40 dB of the
 * loudest window, the rule the training data's wake-word ends follow (tools/train/wake/data.py, trim). null for a
 * silent clip. Only meaningful on a clean clip: noise 20 dB under the speech is over -40 dB everywhere.
 */
export function speechEndS(samples: Int16Array): number | null {
  const db = Array.from({ length: Math.floor(samples.length / END_WINDOW_SAMPLES) }, (_, w) => frameEnergyDbfs(samples.subarray(w * END_WINDOW_SAMPLES, (w + 1) * END_WINDOW_SAMPLES)));
  const loudest = db.reduce((a, b) => Math.max(a, b), -100);
  if (loudest <= -100) return null; // digital silence (frameEnergyDbfs's floor)
  for (let w = db.length - 1; w >= 0; w--) if (db[w]! > loudest - 40) return ((w + 1) * END_WINDOW_SAMPLES) / 16000;
  return null;
}

/** Speech padded with 0.5 s of silence each side, optionally with pink noise at `snrDb` below the speech. */
function pad(speech: Int16Array, snrDb: number | undefined, seed: number): Int16Array {
  const out = new Int16Array(speech.length + 16000);
  out.set(speech, 8000);
  if (snrDb === undefined) return out;
  const level = rms(speech) / 10 ** (snrDb / 20);
  const noise = pinkNoise(out.length, seed);
  return Int16Array.from(out, (v, i) => Math.max(-32768, Math.min(32767, Math.round(v + noise[i]! * level))));
}

/**
 * A simple room: the direct sound plus a tail of seeded noise decaying by 60 dB in `rt60S` (from 5 ms on,
 * the first reflections), as loud in energy as the direct sound (direct-to-reverberant ratio 0 dB: a
 * talker a few metres away in a living room). Scaled back to the dry speech's RMS so the level does not move.
 */
export function reverberate(x: Int16Array, rt60S: number, seed: number): Int16Array {
  const n = Math.round(rt60S * 16000), start = 80;
  const tail = pinkNoise(n, seed).map((v, k) => (k < start ? 0 : v * Math.exp((-6.908 * k) / n)));
  const energy = tail.reduce((a, v) => a + v * v, 0);
  const ir = tail.map((v) => v / Math.sqrt(energy));
  ir[0] = 1;
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    if (xi === 0) continue; // the padding's silence: most of a clip's 0.5 s each side
    for (let k = 0; k < n && i + k < y.length; k++) y[i + k]! += xi * ir[k]!;
  }
  const gain = rms(x) / Math.max(1e-9, Math.sqrt(y.reduce((a, v) => a + v * v, 0) / y.length));
  return Int16Array.from(y, (v) => Math.max(-32768, Math.min(32767, Math.round(v * gain))));
}

/** Noise colours and music-like tone sequences, `seconds` long. */
function synthetic(kind: 'noise' | 'music', k: number, seconds: number): Int16Array {
  const n = seconds * 16000;
  if (kind === 'noise') {
    const base = pinkNoise(n, 1000 + k);
    const gain = [300, 1000, 3000][k % 3]!;
    if (k % 2 === 0) return Int16Array.from(base, (x) => Math.round(x * gain));
    let y = 0; // brown-ish: integrated, for fan and traffic rumble
    return Int16Array.from(base, (x) => { y = 0.98 * y + 0.2 * x; return Math.round(y * gain * 2); });
  }
  const scale = [261.6, 293.7, 329.6, 349.2, 392, 440, 493.9, 523.3];
  const out = new Int16Array(n);
  const note = 16000 * (0.2 + (k % 4) * 0.1);
  for (let i = 0; i < n; i++) {
    const idx = Math.floor(i / note);
    const f = scale[(idx * (k + 3)) % scale.length]! * (k % 2 ? 0.5 : 1);
    const t = i / 16000;
    const env = Math.exp(-((i % note) / note) * 3);
    const v = Math.sin(2 * Math.PI * f * t + 0.3 * Math.sin(2 * Math.PI * 5 * t)) + 0.5 * Math.sin(4 * Math.PI * f * t) + 0.25 * Math.sin(6 * Math.PI * f * t);
    out[i] = Math.round(v * env * 5000);
  }
  return out;
}

export function generate(outDir: string, minutes: number, log: (s: string) => void = () => undefined, set = 0): Label[] {
  // The synthesisers write each clip to this one file; removed at the end, or every run left one in the temp folder.
  const tmp = join(tmpdir(), `hearth-wake-${process.pid}.wav`);
  try {
    return generateWith(tmp, outDir, minutes, log, set);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function generateWith(tmp: string, outDir: string, minutes: number, log: (s: string) => void, set: number): Label[] {
  const all = voices(set);
  const seed = 1000 * set; // noise and sentence offsets; 0 keeps set 0 byte-identical to before --set existed
  const labels: Label[] = [];
  // The harder conditions' positives are listed last: wake-eval streams files in this order, so the files
  // set 0 always had meet the same stream (and the same results) as before those conditions existed.
  const harder: Label[] = [];
  const write = (rel: string, make: () => Int16Array, label: Omit<Label, 'file' | 'seconds'>, into = labels) => {
    const file = join(outDir, rel);
    if (!existsSync(file)) {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, encodeWav(make()));
    }
    into.push({ file: rel, seconds: (readFileSync(file).length - 44) / 32000, ...label });
  };
  const spoken = (v: Voice, text: string) => { v.say(text, tmp); return readWav16k(tmp).samples; };
  for (const [word, phrases] of Object.entries(WAKE_PHRASES)) {
    all.forEach((v, i) => {
      const phrase = phrases[(i + set) % phrases.length]!;
      let said: Int16Array | undefined; // synthesised once per voice, only if a condition's file is missing
      const speech = () => (said ??= spoken(v, phrase));
      // The word alone (phrases[0]): where it ends, read off the clean file (written first, silence around the speech)
      // and the same in every condition. Run into a command, the word's end is not known from the audio.
      let wakeEndS: number | null | undefined;
      const end = () => (wakeEndS ??= phrase === phrases[0] ? speechEndS(readWav16k(join(outDir, `positives/${word}/${v.id}-clean.wav`)).samples) : null);
      for (const c of CONDITIONS) {
        const make = () => c.reverbRt60S ? reverberate(pad(speech(), undefined, 0), c.reverbRt60S, i + c.noiseSeed + seed) : pad(speech(), c.snrDb, i + c.noiseSeed + seed);
        const rel = `positives/${word}/${v.id}-${c.set}.wav`;
        write(rel, make, { kind: 'positive', word, set: c.set, voice: v.id, ...(c.snrDb ? { snrDb: c.snrDb } : {}), ...(c.reverbRt60S ? { reverbRt60S: c.reverbRt60S } : {}) }, GOAL_SETS.has(c.set) ? labels : harder);
        const e = end();
        if (e !== null) { const list = GOAL_SETS.has(c.set) ? labels : harder; list[list.length - 1] = { ...list[list.length - 1]!, wakeEndS: e }; }
      }
    });
    NEAR_MISSES[word]!.forEach((text, j) => {
      const k = j + 5 * set;
      for (const v of [all[k % all.length]!, all[(k * 7 + 20) % all.length]!, all[all.length - 1 - (k % 12)]!]) {
        write(`negatives/nearmiss/${word}-${j}-${v.id}.wav`, () => pad(spoken(v, text), undefined, j + seed), { kind: 'negative', set: 'nearmiss', voice: v.id });
      }
    });
    log(`positives and near-misses for ${word}: done`);
  }
  for (let k = 0; k < 10; k++) {
    write(`negatives/noise/noise-${k}.wav`, () => synthetic('noise', k, 30), { kind: 'negative', set: 'noise', voice: 'synthetic' });
    write(`negatives/music/music-${k}.wav`, () => synthetic('music', k, 30), { kind: 'negative', set: 'music', voice: 'synthetic' });
  }
  let speechSeconds = 0;
  for (let i = 0; speechSeconds < minutes * 60; i++) {
    const v = all[(i * 5 + set) % all.length]!;
    const text = sentence(i + seed);
    write(`negatives/speech/${String(i).padStart(5, '0')}-${v.id}.wav`, () => pad(spoken(v, text), i % 3 === 0 ? 20 : undefined, i + seed), { kind: 'negative', set: 'speech', voice: v.id });
    speechSeconds += labels.at(-1)!.seconds;
    if (i % 200 === 0) log(`negative speech: ${(speechSeconds / 60).toFixed(1)} of ${minutes} minutes`);
  }
  labels.push(...harder);
  writeFileSync(join(outDir, 'labels.json'), `${JSON.stringify(labels, null, 1)}\n`);
  return labels;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) { process.stderr.write('usage: node dist/tools/wake-data/generate.js <out-folder> [--minutes 60] [--set 0]\n'); process.exit(2); }
  const option = (name: string, fallback: number) => { const k = process.argv.indexOf(name); return k > 0 ? Number(process.argv[k + 1]) : fallback; };
  const set = option('--set', 0);
  if (!Number.isInteger(set) || set < 0) { process.stderr.write(`--set must be a whole number >= 0, not ${process.argv[process.argv.indexOf('--set') + 1]}\n`); process.exit(2); }
  const labels = generate(out, option('--minutes', 60), (s) => process.stderr.write(`${s}\n`), set);
  process.stdout.write(`${labels.length} files in ${out}\n`);
}
