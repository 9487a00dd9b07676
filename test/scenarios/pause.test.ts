/**
 * A pause after the wake word (issue: speech for real people): real recordings from the natural-speech set, "hey jarvis"
 * then 0.3, 0.8 or 1.5 s of silence then "turn on the lamp", streamed to a hub as a satellite through the scenario
 * runner, in the home those recordings talk about. The command must go out every time.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify } from 'yaml';
import { runScenario } from '../../runtime/cli/scenarios/runner.js';
import { encodeWav } from '../../runtime/audio/wav.js';
import { NATURAL, wakePauseCommand } from '../natural-clips.js';

describe('a pause after the wake word', () => {
  it('real voices: hey jarvis, a pause of 0.3, 0.8 or 1.5 s, turn on the lamp: the lamp goes on each time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pause-'));
    const turns: unknown[] = [];
    for (const pauseS of [0.3, 0.8, 1.5]) {
      writeFileSync(join(dir, `pause-${pauseS}.wav`), encodeWav(wakePauseCommand(pauseS)));
      turns.push({ mqtt: { topic: 'zigbee2mqtt/Lamp', payload: { state: 'OFF' } } }, { wait_ms: 200 },
        { audio: `pause-${pauseS}.wav`, expect: { intent: 'HassTurnOn', publish: [{ topic: 'zigbee2mqtt/Lamp/set', payload: { state: 'ON' } }] } });
    }
    const home = parseYaml(readFileSync(join(NATURAL, 'home.yaml'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'pause.yaml'), stringify({ name: 'pause after the wake word', hub: home['hub'], areas: home['areas'], home: home['home'], turns }));
    const r = await runScenario(join(dir, 'pause.yaml'), process.env['HEARTH_TEST_BROKER'], Math.floor(Math.random() * 1e6));
    expect(r.error).toBeUndefined();
  }, 90_000);
});
