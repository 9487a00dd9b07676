/**
 * Does the utterance keep a command said straight after the wake word ("hey jarvis what time is it", no pause)?
 * The endpointer opens it `endpoint.prerollMs` before the frame the word fired on: too short, and a late firing cuts
 * the command's first word; too long, and more of the wake word itself leads the utterance, which the ASR must get past.
 * wake-eval measures when each word fires; this checks what the ASR then makes of the utterance, end to end.
 *
 * Every 4th evaluation voice of a set (tools/wake-data/generate.ts, --set N as there: 16 espeak-ng, 3 flite) says each
 * wake phrase run into each command; the clips, each with 2.5 s of silence before and 1.5 s after, make one stream, and
 * `hearth listen --file` runs on it once per classifier set and pre-roll, all four words listening. Per clip: did a
 * word fire in it, and does the first ASR text after that firing carry the command's intent (the hub's own NLU)?
 *
 *   node dist/tools/bench/preroll-check.js <work-folder> [--prerolls 240,300,400,480] [--classifiers hearth,openwakeword] [--set 0]
 *       [--json-out outcomes.json]
 *
 * The stream is kept in the work folder and reused (one folder a set). Needs espeak-ng and flite (apt), like the
 * wake-data generator.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';
import { Lexicon } from '../../runtime/nlu/lexicon.js';
import { recognize } from '../../runtime/nlu/recognizer.js';
import { voices } from '../wake-data/generate.js';
import { WAKE_PHRASES } from '../wake-data/text.js';

/** The commands, and how the hub's NLU must read them for the clip to count as heard. */
const COMMANDS: readonly { text: string; heard: (m: ReturnType<typeof recognize>) => boolean }[] = [
  { text: 'turn on the light', heard: (m) => m?.intent === 'HassTurnOn' && m.slots.domain === 'light' },
  { text: 'what time is it', heard: (m) => m?.intent === 'HassGetCurrentTime' },
];
const LEAD_S = 2.5, TAIL_S = 1.5;
const CLI = join(dirname(fileURLToPath(import.meta.url)), '../../runtime/cli/main.js');

interface Clip { readonly word: string; readonly voice: string; readonly command: number; readonly startMs: number; readonly endMs: number }
interface Outcome { readonly woke: boolean; readonly text: string | null; readonly heard: boolean }

function makeStream(dir: string, set: number): Clip[] {
  const index = join(dir, 'clips.json'), stream = join(dir, 'stream.wav');
  if (existsSync(index) && existsSync(stream)) return JSON.parse(readFileSync(index, 'utf8')) as Clip[];
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, 'say.wav');
  const parts: Int16Array[] = [];
  const clips: Clip[] = [];
  let atSamples = 0;
  for (const [command, c] of COMMANDS.entries()) {
    for (const [word, phrases] of Object.entries(WAKE_PHRASES)) {
      for (const v of voices(set).filter((_, i) => i % 4 === 0)) {
        v.say(`${phrases[0]} ${c.text}`, tmp);
        const speech = readWav16k(tmp).samples;
        const clip = new Int16Array(Math.round((LEAD_S + TAIL_S) * 16000) + speech.length);
        clip.set(speech, LEAD_S * 16000);
        clips.push({ word, voice: v.id, command, startMs: atSamples / 16, endMs: (atSamples + clip.length) / 16 });
        parts.push(clip);
        atSamples += clip.length;
      }
    }
  }
  rmSync(tmp, { force: true });
  const all = new Int16Array(atSamples);
  let at = 0;
  for (const p of parts) { all.set(p, at); at += p.length; }
  writeFileSync(stream, encodeWav(all));
  writeFileSync(index, JSON.stringify(clips));
  return clips;
}

function listen(dir: string, classifiers: string, prerollMs: number): Record<string, unknown>[] {
  const env = {
    ...process.env, HEARTH__ENDPOINT__PREROLLMS: String(prerollMs), HEARTH__WAKE__CLASSIFIERS: classifiers,
    HEARTH__WAKE__WORDS: JSON.stringify(Object.keys(WAKE_PHRASES).map((id) => ({ id }))),
    // The generated voices are synthetic, which the ASR's wake check hears badly; this measures the pre-roll alone.
    HEARTH__WAKE__ASRCHECK: 'false',
  };
  const out = execFileSync(process.execPath, [CLI, 'listen', '--file', join(dir, 'stream.wav')], { env, maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  const events = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  // Every clip must be heard by every run, or the pre-rolls are compared on different audio (as before 69eb247).
  const dropped = events.find((e) => e['event'] === 'end')?.['droppedFrames'];
  if (dropped !== 0) throw new Error(`hearth listen on ${join(dir, 'stream.wav')} dropped ${String(dropped)} frames (or never ended): the counts would be wrong.`);
  return events;
}

/** Each clip's outcome: the first firing inside it, and the ASR text of the utterance that firing opened. */
export function outcomes(clips: readonly Clip[], events: readonly Record<string, unknown>[]): Outcome[] {
  const lexicon = new Lexicon([], [], []);
  const out: Outcome[] = clips.map(() => ({ woke: false, text: null, heard: false }));
  events.forEach((e, i) => {
    if (e['event'] !== 'wake') return;
    const atMs = e['atMs'] as number;
    const k = clips.findIndex((c) => atMs > c.startMs && atMs <= c.endMs);
    if (k < 0 || out[k]!.woke) return;
    const asr = events.slice(i + 1).find((x) => x['event'] === 'asr' || x['event'] === 'wake');
    const text = asr?.['event'] === 'asr' && asr['rejected'] !== true ? (asr['text'] as string) : null;
    out[k] = { woke: true, text, heard: text !== null && COMMANDS[clips[k]!.command]!.heard(recognize(text, lexicon)) };
  });
  return out;
}

function main(): void {
  const [dir, ...rest] = process.argv.slice(2);
  const option = (name: string, fallback: string) => { const i = rest.indexOf(name); return (i >= 0 ? rest[i + 1] : undefined) ?? fallback; };
  if (!dir || dir.startsWith('--')) { process.stderr.write('usage: node dist/tools/bench/preroll-check.js <work-folder> [--prerolls 240,300,400,480] [--classifiers hearth,openwakeword] [--set 0] [--json-out outcomes.json]\n'); process.exit(2); }
  const prerolls = option('--prerolls', '240,300,400,480').split(',').map(Number);
  const clips = makeStream(dir, Number(option('--set', '0')));
  process.stdout.write(`${clips.length} clips (${Object.keys(WAKE_PHRASES).length} words x ${COMMANDS.length} commands x ${clips.length / Object.keys(WAKE_PHRASES).length / COMMANDS.length} voices), ${(clips[clips.length - 1]!.endMs / 60000).toFixed(1)} min\n\n`);
  const words = Object.keys(WAKE_PHRASES);
  process.stdout.write(`| classifiers | endpoint.prerollMs | clips a word fired in | command heard (NLU intent) | ${words.map((w) => `${w}: heard / fired`).join(' | ')} |\n|---|---|---|---|${words.map(() => '---|').join('')}\n`);
  const differ: string[] = [];
  const json: Record<string, { clip: Clip; outcome: Outcome }[]> = {};
  for (const classifiers of option('--classifiers', 'hearth,openwakeword').split(',')) {
    const runs = prerolls.map((p) => outcomes(clips, listen(dir, classifiers, p)));
    runs.forEach((r, j) => { json[`${classifiers} ${prerolls[j]}`] = r.map((outcome, k) => ({ clip: clips[k]!, outcome })); });
    runs.forEach((r, j) => {
      const woke = r.filter((o) => o.woke).length;
      const byWord = words.map((w) => { const mine = r.filter((_, k) => clips[k]!.word === w); return `${mine.filter((o) => o.heard).length} / ${mine.filter((o) => o.woke).length}`; });
      process.stdout.write(`| ${classifiers} | ${prerolls[j]} | ${woke} of ${clips.length} | ${r.filter((o) => o.heard).length} of ${woke} | ${byWord.join(' | ')} |\n`);
    });
    clips.forEach((c, k) => {
      if (runs.every((r) => r[k]!.heard === runs[0]![k]!.heard && r[k]!.woke === runs[0]![k]!.woke)) return;
      const say = (o: Outcome) => !o.woke ? 'no wake' : o.heard ? 'heard' : o.text === null ? 'rejected' : `"${o.text}"`;
      differ.push(`- ${classifiers}, ${c.word} ${c.voice} "${COMMANDS[c.command]!.text}": ${runs.map((r, j) => `${prerolls[j]} ${say(r[k]!)}`).join(', ')}`);
    });
  }
  process.stdout.write(`\nClips whose outcome depends on the pre-roll:\n${differ.join('\n') || 'none'}\n`);
  const out = option('--json-out', '');
  if (out) writeFileSync(out, `${JSON.stringify(json)}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
