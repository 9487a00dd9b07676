/**
 * Generates the wake-word evaluation set from Debian's espeak-ng and flite voices (never festival:
 * its voices are kept for independent held-out checks):
 *   positives/<word>/...     each wake phrase by many voices, clean and at 20 dB SNR (pink noise)
 *   negatives/speech/...     about an hour of everyday speech without a wake word
 *   negatives/nearmiss/...   words that sound close to a wake word
 *   negatives/noise|music/   noise colours and music-like tones
 * labels.json lists every file. Files that exist are kept, so a stopped run resumes.
 *
 *   node dist/tools/wake-data/generate.js <out-folder> [--minutes 60]
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';
import { NEAR_MISSES, sentence, WAKE_PHRASES } from './text.js';

interface Voice { readonly id: string; say(text: string, wav: string): void }
export interface Label { readonly file: string; readonly kind: 'positive' | 'negative'; readonly word?: string; readonly set: string; readonly voice: string; readonly seconds: number; readonly snrDb?: number }

const ESPEAK = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-029', 'en-us-nyc', 'en-gb-x-gbclan', 'en-gb-x-gbcwmd'];
const VARIANTS = ['', '+f1', '+f2', '+f3', '+f4', '+m1', '+m3', '+m5'];
const FLITE = ['kal16', 'awb', 'rms', 'slt'];

export function voices(): Voice[] {
  const out: Voice[] = [];
  for (const [i, v] of ESPEAK.entries()) {
    for (const [j, variant] of VARIANTS.entries()) {
      const speed = 130 + ((i + j) % 3) * 30;
      const pitch = 35 + ((i * 3 + j) % 4) * 10;
      out.push({ id: `espeak-${v}${variant}-s${speed}-p${pitch}`, say: (t, wav) => execFileSync('espeak-ng', ['-v', `${v}${variant}`, '-s', String(speed), '-p', String(pitch), '-w', wav, t]) });
    }
  }
  for (const v of FLITE) {
    for (const stretch of [0.85, 1, 1.2]) {
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

/** Speech padded with 0.5 s of silence each side, optionally with pink noise at `snrDb` below the speech. */
function pad(speech: Int16Array, snrDb: number | undefined, seed: number): Int16Array {
  const out = new Int16Array(speech.length + 16000);
  out.set(speech, 8000);
  if (snrDb === undefined) return out;
  const level = rms(speech) / 10 ** (snrDb / 20);
  const noise = pinkNoise(out.length, seed);
  return Int16Array.from(out, (v, i) => Math.max(-32768, Math.min(32767, Math.round(v + noise[i]! * level))));
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

export function generate(outDir: string, minutes: number, log: (s: string) => void = () => undefined): Label[] {
  const tmp = join(tmpdir(), `hearth-wake-${process.pid}.wav`);
  const all = voices();
  const labels: Label[] = [];
  const write = (rel: string, make: () => Int16Array, label: Omit<Label, 'file' | 'seconds'>) => {
    const file = join(outDir, rel);
    if (!existsSync(file)) {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, encodeWav(make()));
    }
    labels.push({ file: rel, seconds: (readFileSync(file).length - 44) / 32000, ...label });
  };
  const spoken = (v: Voice, text: string) => { v.say(text, tmp); return readWav16k(tmp).samples; };
  for (const [word, phrases] of Object.entries(WAKE_PHRASES)) {
    all.forEach((v, i) => {
      const phrase = phrases[i % phrases.length]!;
      write(`positives/${word}/${v.id}-clean.wav`, () => pad(spoken(v, phrase), undefined, i), { kind: 'positive', word, set: 'clean', voice: v.id });
      write(`positives/${word}/${v.id}-snr20.wav`, () => pad(spoken(v, phrase), 20, i + 7), { kind: 'positive', word, set: 'snr20', voice: v.id, snrDb: 20 });
    });
    NEAR_MISSES[word]!.forEach((text, j) => {
      for (const v of [all[j % all.length]!, all[(j * 7 + 20) % all.length]!, all[all.length - 1 - (j % 12)]!]) {
        write(`negatives/nearmiss/${word}-${j}-${v.id}.wav`, () => pad(spoken(v, text), undefined, j), { kind: 'negative', set: 'nearmiss', voice: v.id });
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
    const v = all[(i * 5) % all.length]!;
    write(`negatives/speech/${String(i).padStart(5, '0')}-${v.id}.wav`, () => pad(spoken(v, sentence(i)), i % 3 === 0 ? 20 : undefined, i), { kind: 'negative', set: 'speech', voice: v.id });
    speechSeconds += labels.at(-1)!.seconds;
    if (i % 200 === 0) log(`negative speech: ${(speechSeconds / 60).toFixed(1)} of ${minutes} minutes`);
  }
  writeFileSync(join(outDir, 'labels.json'), `${JSON.stringify(labels, null, 1)}\n`);
  return labels;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) { process.stderr.write('usage: node dist/tools/wake-data/generate.js <out-folder> [--minutes 60]\n'); process.exit(2); }
  const mi = process.argv.indexOf('--minutes');
  const labels = generate(out, mi > 0 ? Number(process.argv[mi + 1]) : 60, (s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${labels.length} files in ${out}\n`);
}
