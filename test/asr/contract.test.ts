/**
 * The contract every production ASR engine passes (one suite, run for each engine in CONTRACT_ENGINES;
 * an engine joins when it passes, see runtime/asr/engines.ts): real speech
 * clips of commands against a small home come out as the command; speech that is not a command is
 * rejected; partials arrive while the audio streams; utterances decode one after another.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { ASR_ENGINES, CONTRACT_ENGINES, createAsrEngine } from '../../runtime/asr/engines.js';
import type { AsrEngine, HomeWords } from '../../runtime/asr/engine.js';
import { Framer } from '../../runtime/audio/framer.js';
import { readWav16k } from '../../runtime/audio/wav.js';

const HOME: HomeWords = {
  names: ['Living Room Lamp', 'Kitchen Light', 'Bedroom Lamp', 'Front Door', 'Living Room Sensor', 'Oven', 'Coffee Maker', 'Hallway Fan'],
  areas: ['Living Room', 'Kitchen', 'Bedroom', 'Hallway'],
};
const clip = (f: string) => fileURLToPath(new URL(`../fixtures/audio/${f}`, import.meta.url));

async function decode(engine: AsrEngine, file: string) {
  const stream = engine.start();
  const framer = new Framer();
  const partials: string[] = [];
  for (const f of [...framer.push(readWav16k(clip(file)).samples), ...framer.flush()]) {
    const p = await stream.push(f);
    if (p) partials.push(p);
  }
  return { t: await stream.finish(), partials };
}

it('runs for engines that exist', () => {
  for (const id of CONTRACT_ENGINES) expect(Object.keys(ASR_ENGINES)).toContain(id);
});

describe.each([...CONTRACT_ENGINES])('ASR engine %s', (id) => {
  const engine = () => createAsrEngine(id, HOME);

  it('recognises commands said by three different voices', async () => {
    const e = engine();
    for (const [file, text] of [
      ['cmd-bedroom-lamp-off-awb.wav', 'turn off the bedroom lamp'],
      ['cmd-temperature-living-room-rms.wav', 'what is the temperature in the living room'],
      ['cmd-coffee-maker-on-espeak.wav', 'switch on the coffee maker'],
    ] as const) {
      const { t, partials } = await decode(e, file);
      expect(t.rejected).toBe(false);
      expect(t.hypotheses[0]!.text).toBe(text);
      expect(partials.length).toBeGreaterThan(0); // it said something before the end
      expect(t.computeStats.audioMs).toBeGreaterThan(1000);
    }
    await e.stop();
  }, 60000);

  it('rejects speech that is not a command', async () => {
    const e = engine();
    expect((await decode(e, 'no-wake-word-rms.wav')).t.rejected).toBe(true);
    await e.stop();
  }, 60000);

  it('follows the home: a device added later can be said', async () => {
    const e = engine();
    e.setHome({ names: ['Bedroom Lamp'], areas: ['Bedroom'] });
    expect((await decode(e, 'cmd-coffee-maker-on-espeak.wav')).t.hypotheses[0]?.text).not.toBe('switch on the coffee maker');
    e.setHome({ names: ['Bedroom Lamp', 'Coffee Maker'], areas: ['Bedroom'] });
    expect((await decode(e, 'cmd-coffee-maker-on-espeak.wav')).t.hypotheses[0]?.text).toBe('switch on the coffee maker');
    await e.stop();
  }, 60000);

  it('finishes an utterance without audio cleanly', async () => {
    const e = engine();
    const t = await e.start().finish();
    expect(t.rejected).toBe(true);
    expect(t.hypotheses).toEqual([]);
    await e.stop();
  });
});
