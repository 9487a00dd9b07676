/**
 * Real recordings from ../shared/datasets/natural-speech put together the way people talk to a hub: a wake word, a
 * pause, a command. Measuring only: tests build their audio from these, nothing is trained on them.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readWav16k } from '../runtime/audio/wav.js';

export const NATURAL = fileURLToPath(new URL('../../shared/datasets/natural-speech', import.meta.url));
const clip = (f: string) => readWav16k(join(NATURAL, f)).samples;

/** The first and last sample of the 10 ms windows within 15 dB of the clip's loudest (DC removed; these recordings' noise sits 20-25 dB under their speech): where the words are. */
export function speechSpan(x: Int16Array): [number, number] {
  const n = Math.floor(x.length / 160), energy = new Float64Array(n), dc = x.reduce((a, v) => a + v, 0) / x.length;
  for (let i = 0; i < n; i++) { let e = 0; for (let k = i * 160; k < (i + 1) * 160; k++) e += (x[k]! - dc) ** 2; energy[i] = e; }
  const max = Math.max(...energy), loud = [...energy.keys()].filter((i) => energy[i]! > max * 10 ** -1.5);
  return [loud[0]! * 160, (loud.at(-1)! + 1) * 160];
}

/**
 * "hey jarvis" (hey_jarvis_pmw2, or the clip `wakeFile` names), `pauseS` of silence, "turn on the lamp"
 * (rh3_turn_on_the_lamp), cut at the words so the pause is the one named, with `leadS` of silence before and 1.5 s after.
 */
export function wakePauseCommand(pauseS: number, leadS = 0, wakeFile = 'wake/hey_jarvis_pmw2.wav'): Int16Array {
  const w = clip(wakeFile), c = clip('commands/rh3_turn_on_the_lamp.wav');
  const wake = w.subarray(0, speechSpan(w)[1]), command = c.subarray(speechSpan(c)[0]);
  const lead = Math.round(leadS * 16000), pause = Math.round(pauseS * 16000);
  const all = new Int16Array(lead + wake.length + pause + command.length + 24000);
  all.set(wake, lead);
  all.set(command, lead + wake.length + pause);
  return all;
}
