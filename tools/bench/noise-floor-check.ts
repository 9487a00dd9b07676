/**
 * Does the noise-floor gate cost wake words in noise? wake-eval puts 1.5 s of digital silence between
 * files, so the gate learns each file's floor only 2 s into it, after most wake words. Here every
 * noisy positive follows 3 s of its own noise (its first 0.3 s, before the voice, looped), so the
 * floor is known when the voice starts; the same stream runs through the real listener with the gate
 * off (margin 0) and at the given margins, and the wake words each finds are compared clip by clip.
 *   node dist/tools/bench/noise-floor-check.js /tmp/wakeset1 [/tmp/wakeset2 ...] [--margins 6,3]
 * Env HEARTH__WAKE__CLASSIFIERS picks the classifiers, as for wake-eval.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config/load.js';
import { silentLogger } from '../../runtime/log.js';
import { Framer } from '../../runtime/audio/framer.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { createListener } from '../../runtime/pipeline/listen.js';
import type { WakeEvent } from '../../runtime/types/audio.js';

interface Clip { readonly file: string; readonly word: string; readonly set: string }
const CONDITIONS = ['snr20', 'snr10', 'snr5'];
const LEAD_IN_S = 3;
const NOISE_SAMPLES = 4800;

const args = process.argv.slice(2);
const marginsAt = args.indexOf('--margins');
const margins = marginsAt >= 0 ? args[marginsAt + 1]!.split(',').map(Number) : [6];
const folders = args.filter((a, i) => !a.startsWith('--') && (marginsAt < 0 || i !== marginsAt + 1));
if (folders.length === 0) { process.stderr.write('usage: noise-floor-check.js <wake set folder>... [--margins 6,3]\n'); process.exit(2); }

const clips: Clip[] = folders.flatMap((f) => (JSON.parse(readFileSync(join(f, 'labels.json'), 'utf8')) as { file: string; kind: string; word?: string; set: string }[])
  .filter((l) => l.kind === 'positive' && CONDITIONS.includes(l.set)).map((l) => ({ file: join(f, l.file), word: l.word!, set: l.set })));
const words = [...new Set(clips.map((c) => c.word))].sort();

/** Per clip: 3 s of its own leading noise looped, the clip, 1 s more of that noise. */
function clipAudio(c: Clip): { audio: Int16Array; voiceFrom: number; voiceTo: number } {
  const { samples } = readWav16k(c.file);
  const noise = samples.slice(0, NOISE_SAMPLES);
  const lead = LEAD_IN_S * 16000;
  const audio = new Int16Array(lead + samples.length + 16000);
  for (let i = 0; i < audio.length; i++) audio[i] = noise[i % noise.length]!;
  audio.set(samples, lead);
  return { audio, voiceFrom: lead, voiceTo: lead + samples.length };
}

/** The whole stream through one listener, clip after clip (memory stays flat); each clip's voice span in stream ms. */
async function wakesWith(marginDb: number): Promise<{ wakes: WakeEvent[]; spans: [number, number][]; vadRuns: number; frames: number }> {
  const config = loadConfig({ env: process.env, overrides: { wake: { words: words.map((id) => ({ id })), noiseFloorMarginDb: marginDb }, audio: { queueMaxFrames: 10_000 } } });
  const listener = await createListener(config, silentLogger);
  const wakes: WakeEvent[] = [];
  listener.events.on('wake', (w) => wakes.push(w));
  const framer = new Framer();
  const spans: [number, number][] = [];
  listener.push(framer.push(new Int16Array(32000))); // the engine ignores its first 2 s
  let at = 32000;
  for (const c of clips) {
    const { audio, voiceFrom, voiceTo } = clipAudio(c);
    spans.push([(at + voiceFrom) / 16, (at + voiceTo) / 16]);
    listener.push(framer.push(audio));
    at += audio.length;
    await listener.drain();
  }
  listener.push(framer.flush());
  await listener.finish();
  const r = { wakes, spans, vadRuns: listener.vadRuns, frames: listener.processedFrames };
  await listener.stop();
  return r;
}

/** Per clip: did its own word fire between its start and 2 s after its end? */
function found(wakes: readonly WakeEvent[], spans: readonly [number, number][]): boolean[] {
  return clips.map((c, i) => wakes.some((w) => w.wakeWordId === c.word && w.atMs >= spans[i]![0] && w.atMs <= spans[i]![1] + 2000));
}

const base = await wakesWith(0);
const baseFound = found(base.wakes, base.spans);
const lines = [`Clips: ${clips.length} noisy positives (${CONDITIONS.join(', ')}) of ${folders.join(' + ')}, each after ${LEAD_IN_S} s of its own noise.`,
  `classifiers: ${process.env['HEARTH__WAKE__CLASSIFIERS'] ?? 'default'}; gate off: VAD runs ${base.vadRuns} on ${base.frames} frames`, '',
  '| margin | condition | found, gate off | found, gate on | lost | gained | VAD runs |', '|---|---|---|---|---|---|---|'];
for (const m of margins) {
  const r = await wakesWith(m);
  const f = found(r.wakes, r.spans);
  for (const cond of CONDITIONS) {
    const idx = clips.flatMap((c, i) => (c.set === cond ? [i] : []));
    const lost = idx.filter((i) => baseFound[i] && !f[i]);
    const gained = idx.filter((i) => !baseFound[i] && f[i]);
    lines.push(`| ${m} dB | ${cond} | ${idx.filter((i) => baseFound[i]).length}/${idx.length} | ${idx.filter((i) => f[i]).length}/${idx.length} | ${lost.length} | ${gained.length} | ${r.vadRuns} |`);
    for (const i of lost) lines.push(`  lost: ${clips[i]!.file}`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
