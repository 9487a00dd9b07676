/**
 * GnuSpeech voices for the wake-word training data (tools/train/wake/data.py). GnuSpeech is an
 * articulatory synthesiser (a tube model of the vocal tract): its speaker is a set of numbers
 * (vocal tract length in cm, glottal pitch in semitones, pulse shape, breathiness, tract shape), so
 * every clip can come from a speaker no other clip had. espeak-ng and flite have a few dozen fixed
 * voices between them; the classifiers missed the one unseen flite speaker (docs/results/wake-synthetic.md).
 *
 * The synthesiser is @echogarden/gnuspeech-wasm (GPL-3.0, a devDependency: a training tool, never
 * loaded by the hub). Runs as a server so the WASM starts once per data.py worker: one JSON request per
 * stdin line, {"text", "out", "voice": {...}}; it writes a 44.1 kHz 16-bit WAV to `out` and answers
 * "ok" (or "error <message>") on stdout.
 *
 *   node dist/tools/train/wake/gnuspeech.js < requests.jsonl
 */
import { createInterface } from 'node:readline';
import { writeFileSync } from 'node:fs';

export interface GnuSpeechVoice {
  readonly vocalTractLengthCm: number;
  readonly glottalPitchSemitones: number;
  /** Glottal pulse rise and fall, % of the period. */
  readonly pulseRisePercent: number;
  readonly pulseFallPercent: number;
  readonly breathinessPercent: number;
  /** Scales the tract's radius in each of its 8 sections (1 = GnuSpeech's neutral shape). */
  readonly radiusCoefs: readonly number[];
  readonly tempo: number;
  /** Semitones added to the intonation contour's notional pitch. */
  readonly pitchOffsetSemitones: number;
}

/** Wake words the GnuSpeech dictionary lacks (its letter-to-sound rules would guess), in its phone notation (compare "alexis", "rasp"). */
const DICTIONARY = [
  "alexa uh.'l_e_k.s_uh%a",
  "rhasspy 'r_aa_s.p_i%a",
];

const DATA = '/data/en';

function voiceFile(v: GnuSpeechVoice): string {
  const radii = v.radiusCoefs.map((c, i) => `radius_${i + 1}_coef = ${c.toFixed(3)}`).join('\n');
  return `vocal_tract_length = ${v.vocalTractLengthCm.toFixed(2)}
glottal_pulse_tp = ${v.pulseRisePercent.toFixed(1)}
glottal_pulse_tn_min = ${v.pulseFallPercent.toFixed(1)}
glottal_pulse_tn_max = ${v.pulseFallPercent.toFixed(1)}
reference_glottal_pitch = ${v.glottalPitchSemitones.toFixed(2)}
breathiness = ${v.breathinessPercent.toFixed(2)}
aperture_radius = 3.05
nose_radius_1 = 1.35
nose_radius_2 = 1.96
nose_radius_3 = 1.91
nose_radius_4 = 1.3
nose_radius_5 = 0.73
global_nose_radius_coef = 1.0
${radii}
global_radius_coef = 1.0
`;
}

function controlModel(v: GnuSpeechVoice): string {
  return `control_rate = 250.0
voice_name = hearth
tempo = ${v.tempo.toFixed(3)}
pitch_offset = ${(-4 + v.pitchOffsetSemitones).toFixed(2)}
drift_deviation = 0.5
drift_lowpass_cutoff = 0.5
micro_intonation = 1
macro_intonation = 1
intonation_drift = 1
random_intonation = 1
notional_pitch = 2.0
pretonic_range = -2.0
pretonic_lift = 4.0
tonic_range = -8.0
tonic_movement = 4.0
dictionary_1_file = hearth.txt
dictionary_2_file = none
dictionary_3_file = MainDictionary.txt
`;
}

export interface GnuSpeech {
  FS: { writeFile(path: string, data: string | Uint8Array): void; readFile(path: string): Uint8Array; unlink(path: string): void };
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _GnuSpeech_synthesizeToFile(text: number, out: number, configDir: number, params: number, debug: number): number;
}

export async function loadGnuSpeech(): Promise<GnuSpeech> {
  // The package's own synthesize() only picks one of five fixed voices; the module underneath takes any voice file.
  const path = '@echogarden/gnuspeech-wasm/wasm/gnuspeech.js';
  const { default: init } = await import(path) as { default: () => Promise<GnuSpeech> };
  const m = await init();
  m.FS.writeFile(`${DATA}/hearth.txt`, DICTIONARY.join('\n') + '\n');
  return m;
}

function cString(m: GnuSpeech, s: string): number {
  const bytes = new TextEncoder().encode(s);
  const p = m._malloc(bytes.length + 1);
  m.HEAPU8.set(bytes, p);
  m.HEAPU8[p + bytes.length] = 0;
  return p;
}

/** One text by one voice, as a 44.1 kHz 16-bit mono WAV file's bytes. */
export function synthesise(m: GnuSpeech, text: string, v: GnuSpeechVoice): Uint8Array {
  m.FS.writeFile(`${DATA}/voice_hearth.txt`, voiceFile(v));
  m.FS.writeFile(`${DATA}/trm_control_model.txt`, controlModel(v));
  const args = [text, '/out.wav', DATA, '/params.txt'].map((s) => cString(m, s));
  try {
    m._GnuSpeech_synthesizeToFile(args[0]!, args[1]!, args[2]!, args[3]!, 0);
  } finally {
    args.forEach((p) => m._free(p));
  }
  const wav = m.FS.readFile('/out.wav');
  m.FS.unlink('/out.wav');
  return wav;
}

async function main(): Promise<void> {
  const m = await loadGnuSpeech();
  for await (const line of createInterface({ input: process.stdin })) {
    if (!line.trim()) continue;
    try {
      const req = JSON.parse(line) as { text: string; out: string; voice: GnuSpeechVoice };
      writeFileSync(req.out, synthesise(m, req.text, req.voice));
      process.stdout.write('ok\n');
    } catch (err) {
      process.stdout.write(`error ${(err as Error).message.replace(/\n/g, ' ')}\n`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
