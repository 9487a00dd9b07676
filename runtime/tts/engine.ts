/**
 * Spoken replies: text -> 16-bit mono PCM, sentence by sentence, so the first sentence plays while the next is made
 * (the first audio byte waits for one sentence, not the whole reply). Engines are Debian's command-line
 * synthesizers, run without a shell (the text is one argument):
 * - flite (the default): the CMU ARCTIC "slt" voice, statistical parametric synthesis from a real speaker's
 *   recordings; of the voices in Debian's main archive that need no download it is the most natural, and it makes a
 *   4 s sentence in about 0.13 s on this 2-core CPU (docs/results/tts.md).
 * - espeak-ng: formant synthesis, robotic but with many languages.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav } from '../audio/wav.js';
import { floatToInt16 } from '../audio/resample.js';
import { HearthError } from '../types/errors.js';

export type TtsEngineId = 'flite' | 'espeak-ng';

export interface TtsSettings {
  readonly engine: TtsEngineId;
  /** Engine voice; null = the engine's default (flite: slt, espeak-ng: en-us). */
  readonly voice: string | null;
  readonly rateWpm: number;
}

/** One piece of a reply's audio: a sentence, 16-bit mono PCM. */
export interface TtsChunk {
  readonly rateHz: number;
  readonly samples: Int16Array;
}

/** The longest text one reply may be (a Wyoming client may send anything; a reply is a few sentences). */
export const MAX_TTS_CHARS = 2000;

/**
 * tts.rateWpm is espeak-ng's words a minute (-s). flite's slt voice at duration_stretch 1 speaks as fast as espeak-ng
 * at 180 (a 24-word sentence: 5.9 s against 6.2 s at -s 175), so its stretch is 180 / rateWpm.
 */
const FLITE_NOMINAL_WPM = 180;

/** `out`: a file to write the WAV to, for engines that cannot write to a pipe (flite opens its output by name). */
interface EngineSpec { readonly program: string; readonly apt: string; readonly defaultVoice: string; readonly toFile: boolean; args(text: string, voice: string, rateWpm: number, out: string): string[] }

const ENGINES: Readonly<Record<TtsEngineId, EngineSpec>> = {
  flite: {
    program: 'flite', apt: 'flite', defaultVoice: 'slt', toFile: true,
    args: (text, voice, wpm, out) => ['-voice', voice, '--setf', `duration_stretch=${(FLITE_NOMINAL_WPM / wpm).toFixed(3)}`, '-t', text, '-o', out],
  },
  'espeak-ng': {
    program: 'espeak-ng', apt: 'espeak-ng', defaultVoice: 'en-us', toFile: false,
    args: (text, voice, wpm) => ['-v', voice, '-s', String(Math.round(wpm)), '--stdout', '--', text],
  },
};

/** Voice names are engine words (slt, en-us, mb-us1); anything else is refused before it reaches a command line. */
const VOICE = /^[A-Za-z0-9_+-]{1,40}$/;

/** Sentences of a reply: each is synthesized on its own, in order. */
export function sentences(text: string): string[] {
  return text.replace(/\s+/g, ' ').trim().split(/(?<=[.!?])\s+(?=\S)/).filter((s) => /[A-Za-z0-9]/.test(s));
}

export class TtsEngine {
  readonly id: TtsEngineId;
  readonly voice: string;
  private readonly spec: EngineSpec;

  constructor(private readonly settings: TtsSettings) {
    this.spec = ENGINES[settings.engine];
    this.id = settings.engine;
    this.voice = settings.voice ?? this.spec.defaultVoice;
    if (!VOICE.test(this.voice)) throw new HearthError('config-invalid', 'config', `tts.voice "${this.voice}" is not a voice name (letters, digits, _ + -)`, { setting: 'tts.voice' });
  }

  /** The reply's audio, one chunk per sentence. Throws `tts-engine-missing` (naming the Debian package) or `tts-failed`. */
  async *synthesize(text: string): AsyncGenerator<TtsChunk> {
    if (text.length > MAX_TTS_CHARS) throw new HearthError('tts-text-too-long', 'input', `Text to speak is ${text.length} characters; at most ${MAX_TTS_CHARS}.`);
    for (const sentence of sentences(text)) yield await this.sentence(sentence);
  }

  /** The whole reply as one chunk (for a WAV message: Hermes playBytes, `hearth say --speak`). */
  async whole(text: string): Promise<TtsChunk> {
    const parts: Int16Array[] = [];
    let rateHz = 16000;
    for await (const c of this.synthesize(text)) { parts.push(c.samples); rateHz = c.rateHz; }
    const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return { rateHz, samples: out };
  }

  private sentence(text: string): Promise<TtsChunk> {
    const { program, apt } = this.spec;
    const dir = this.spec.toFile ? mkdtempSync(join(tmpdir(), 'hearth-tts-')) : undefined;
    const file = dir ? join(dir, 'reply.wav') : '';
    return new Promise<TtsChunk>((resolve, reject) => {
      const child = spawn(program, this.spec.args(text, this.voice, this.settings.rateWpm, file), { stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let err = '';
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
      child.on('error', (e: NodeJS.ErrnoException) => {
        reject(e.code === 'ENOENT'
          ? new HearthError('tts-engine-missing', 'environment', `tts.engine is ${program}, but the ${program} program is not installed (Debian package ${apt}).`, { engine: program })
          : new HearthError('tts-failed', 'environment', `${program} could not start: ${e.message}`, { engine: program }, e));
      });
      child.on('close', (code) => {
        let bytes = Buffer.concat(out);
        if (dir && code === 0) { try { bytes = readFileSync(file); } catch { /* reported below as no audio */ } }
        if (code !== 0 || bytes.length < 44) {
          reject(new HearthError('tts-failed', 'environment', `${program} exited with ${code} and ${bytes.length} bytes of audio: ${err.trim().slice(0, 200) || 'no message'} (tts.voice "${this.voice}"?)`, { engine: program }));
          return;
        }
        try {
          const { info, mono } = decodeWav(bytes, `${program} output`);
          resolve({ rateHz: info.sampleRateHz, samples: floatToInt16(mono) });
        } catch (e) { reject(e); }
      });
    }).finally(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });
  }
}
