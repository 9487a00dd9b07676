/**
 * A held-out set for `hearth asr-eval`: commands about the demo home and everyday sentences that are
 * not commands, said by flite and espeak-ng voices (never festival's: those are kept for independent
 * checks). Writes <out>/*.wav, <out>/manifest.jsonl ({"audio","text"}; empty text = not a command)
 * and <out>/home.json (the names and rooms the recordings talk about).
 *
 *   node dist/tools/asr-data/generate.js <out-folder> [--voices dev|heldout]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';
import { sentence } from '../wake-data/text.js';

export const HOME = {
  names: ['Living Room Lamp', 'Kitchen Light', 'Bedroom Lamp', 'Front Door', 'Living Room Sensor', 'Oven', 'Coffee Maker', 'Hallway Fan'],
  areas: ['Living Room', 'Kitchen', 'Bedroom', 'Hallway'],
};

const COMMANDS = [
  'turn on the kitchen light', 'turn off the bedroom lamp', 'switch on the coffee maker', 'switch off the hallway fan', 'turn on the living room lamp',
  'what is the temperature in the living room', 'what is the temperature', 'lock the front door', 'unlock the front door', 'set the bedroom lamp to fifty percent',
  'dim the living room lamp', 'turn off the lights in the kitchen', 'is the oven on', 'turn the kitchen light off', 'what time is it',
  'make me a coffee', 'never mind', 'one two three four', 'turn on the oven', 'switch the bedroom lamp on',
];

type Voice = { id: string; say: (text: string, wav: string) => void };
const flite = (v: string): Voice => ({ id: `flite-${v}`, say: (t, w) => execFileSync('flite', ['-voice', v, '-t', t, '-o', w]) });
const espeak = (v: string): Voice => ({ id: `espeak-${v.replace('+', '-')}`, say: (t, w) => execFileSync('espeak-ng', ['-v', v, '-s', '150', '-w', w, t]) });
/**
 * dev: voices the amortized model was trained on (also used to tune the confidence gates).
 * heldout: voices no Hearth model was trained on (tools/train/asr/data.py keeps flite slt and espeak-ng
 * en-029 out of training): the set the default engine is chosen on.
 */
export const VOICE_SETS: Readonly<Record<string, readonly Voice[]>> = {
  dev: [flite('awb'), flite('rms'), espeak('en-gb')],
  heldout: [flite('slt'), espeak('en-029'), espeak('en-029+f2')],
};

export function generateAsrSet(out: string, voiceSet = 'dev'): number {
  const VOICES = VOICE_SETS[voiceSet];
  if (!VOICES) throw new Error(`unknown voice set ${voiceSet}; known: ${Object.keys(VOICE_SETS).join(', ')}`);
  mkdirSync(out, { recursive: true });
  const tmp = join(tmpdir(), `hearth-asr-${process.pid}.wav`);
  const lines: string[] = [];
  const add = (name: string, voice: Voice, text: string, reference: string) => {
    const file = `${name}.wav`;
    if (!existsSync(join(out, file))) {
      voice.say(text, tmp);
      const { samples } = readWav16k(tmp);
      const padded = new Int16Array(samples.length + 8000);
      padded.set(samples, 4000);
      writeFileSync(join(out, file), encodeWav(padded));
    }
    lines.push(JSON.stringify({ audio: file, text: reference }));
  };
  for (const v of VOICES) {
    COMMANDS.forEach((c, i) => add(`${v.id}-cmd-${i}`, v, c, c));
    for (let i = 0; i < 8; i++) add(`${v.id}-chatter-${i}`, v, sentence(i * 3 + 1), '');
  }
  writeFileSync(join(out, 'manifest.jsonl'), `${lines.join('\n')}\n`);
  writeFileSync(join(out, 'home.json'), `${JSON.stringify(HOME)}\n`);
  return lines.length;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2];
  if (!out) { process.stderr.write('usage: node dist/tools/asr-data/generate.js <out-folder> [--voices dev|heldout]\n'); process.exit(2); }
  const i = process.argv.indexOf('--voices');
  process.stdout.write(`${generateAsrSet(out, i > 0 ? process.argv[i + 1] : 'dev')} utterances in ${out}\n`);
}
