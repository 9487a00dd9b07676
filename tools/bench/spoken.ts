/**
 * What the spoken benches say to the hub: real people, not a synthetic voice (Moonshine's verdicts on flite's voices
 * flip with a few ms of alignment, and the hub is for people). A real "hey jarvis" and a real "turn on the lamp" from
 * ../shared/datasets/natural-speech (two speakers, two microphones: a measurement, never training), 0.4 s apart, with
 * 2 s of silence before and 1 s after; and the Tasmota lamp the command is for.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HearthError } from '../../runtime/types/errors.js';
import { readWav16k } from '../../runtime/audio/wav.js';

const NATURAL = fileURLToPath(new URL('../../../../shared/datasets/natural-speech/', import.meta.url));
const WAKE = 'wake/hey_jarvis_pmw2.wav', COMMAND = 'commands/rh3_turn_on_the_lamp.wav';

/** The retained discovery message of the lamp, and the topic its command arrives on. */
export const BENCH_LAMP = {
  topic: 'tasmota/discovery/DC4F22000043/config',
  config: { ip: '10.0.0.43', dn: 'Lamp', fn: ['Lamp'], hn: 'lamp', mac: 'DC4F22000043', md: 'Sonoff Basic', t: 'lamp', ft: '%prefix%/%topic%/', tp: ['cmnd', 'stat', 'tele'], rl: [2] },
  commandTopic: 'cmnd/lamp/POWER',
} as const;

/** The whole stream, 16 kHz mono. */
export function spokenStream(): Int16Array {
  for (const f of [WAKE, COMMAND]) {
    if (!existsSync(NATURAL + f)) throw new HearthError('bench-data-missing', 'environment', `The spoken benches read ${NATURAL + f}; check out shared/ beside the project.`, { path: NATURAL + f });
  }
  const parts = [new Int16Array(32_000), readWav16k(NATURAL + WAKE).samples, new Int16Array(6_400), readWav16k(NATURAL + COMMAND).samples, new Int16Array(16_000)];
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
