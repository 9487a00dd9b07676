/**
 * A pause after the wake word (issue: speech for real people): real recordings from the natural-speech set, "hey jarvis"
 * then 0.3, 0.8 or 1.5 s of silence then "turn on the lamp", streamed to a hub as a satellite through the scenario
 * runner, in the home those recordings talk about. The command must go out every time.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { runScenario } from '../../runtime/cli/scenarios/runner.js';
import { encodeWav, readWav16k } from '../../runtime/audio/wav.js';

const NATURAL = fileURLToPath(new URL('../../../shared/datasets/natural-speech', import.meta.url));
const clip = (f: string) => readWav16k(join(NATURAL, f)).samples;

/** The first and last sample of the 10 ms windows within 15 dB of the clip's loudest (DC removed; these recordings' noise sits 20-25 dB under their speech): where the words are. */
function speechSpan(x: Int16Array): [number, number] {
  const n = Math.floor(x.length / 160), energy = new Float64Array(n), dc = x.reduce((a, v) => a + v, 0) / x.length;
  for (let i = 0; i < n; i++) { let e = 0; for (let k = i * 160; k < (i + 1) * 160; k++) e += (x[k]! - dc) ** 2; energy[i] = e; }
  const max = Math.max(...energy), loud = [...energy.keys()].filter((i) => energy[i]! > max * 10 ** -1.5);
  return [loud[0]! * 160, (loud.at(-1)! + 1) * 160];
}

describe('a pause after the wake word', () => {
  it('real voices: hey jarvis, a pause of 0.3, 0.8 or 1.5 s, turn on the lamp: the lamp goes on each time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pause-'));
    // Cut at the words, so the pause is the one named: the wake clip ends and the command clip starts at speech.
    const w = clip('wake/hey_jarvis_pmw2.wav'), c = clip('commands/rh3_turn_on_the_lamp.wav');
    const wake = w.subarray(0, speechSpan(w)[1]), command = c.subarray(speechSpan(c)[0]);
    const turns: unknown[] = [];
    for (const pauseS of [0.3, 0.8, 1.5]) {
      const all = new Int16Array(wake.length + pauseS * 16000 + command.length);
      all.set(wake);
      all.set(command, wake.length + pauseS * 16000);
      writeFileSync(join(dir, `pause-${pauseS}.wav`), encodeWav(all));
      turns.push({ mqtt: { topic: 'zigbee2mqtt/Lamp', payload: { state: 'OFF' } } }, { wait_ms: 200 },
        { audio: `pause-${pauseS}.wav`, expect: { intent: 'HassTurnOn', publish: [{ topic: 'zigbee2mqtt/Lamp/set', payload: { state: 'ON' } }] } });
    }
    const home = parseYaml(readFileSync(join(NATURAL, 'home.yaml'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'pause.yaml'), stringify({ name: 'pause after the wake word', hub: home['hub'], areas: home['areas'], home: home['home'], turns }));
    const r = await runScenario(join(dir, 'pause.yaml'), process.env['HEARTH_TEST_BROKER'], Math.floor(Math.random() * 1e6));
    expect(r.error).toBeUndefined();
  }, 90_000);
});
