/**
 * The Moonshine engine beyond the contract: what the open model writes is read as the grammar's words (case,
 * punctuation, digits), open slots take the words it heard, speech outside the grammar is rejected by the open path's
 * score, and the early decode at the VAD's end of speech gives the same transcript as decoding at the end. Audio: flite
 * (the model never trained on it; Hearth trains nothing here) and the repository's fixtures.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createAsrEngine } from '../../runtime/asr/engines.js';
import type { AsrEngine, AsrStream, HomeWords } from '../../runtime/asr/engine.js';
import { Framer } from '../../runtime/audio/framer.js';
import { readWav16k, toInt16At16k } from '../../runtime/audio/wav.js';
import { TtsEngine } from '../../runtime/tts/engine.js';
import { WordGraph } from '../../runtime/asr/jsgf.js';
import { homeGrammar } from '../../runtime/asr/grammar.js';
import { advance } from '../../runtime/asr/moonshine/search.js';

const HOME: HomeWords = {
  names: ['Bed Light', 'Front Door', 'Kitchen Light'], areas: ['Bedroom', 'Kitchen'],
  devices: [{ name: 'Bed Light', domain: 'light' }, { name: 'Front Door', domain: 'lock' }, { name: 'Kitchen Light', domain: 'light' }],
};
const flite = new TtsEngine({ engine: 'flite', voice: null, rateWpm: 160 });

async function said(text: string): Promise<Int16Array> {
  const a = await flite.whole(text);
  const speech = toInt16At16k(Float32Array.from(a.samples, (v) => v / 32768), a.rateHz);
  const out = new Int16Array(4000 + speech.length + 8000); // a little silence around, as the endpointer cuts it
  out.set(speech, 4000);
  return out;
}

async function feed(s: AsrStream, samples: Int16Array, speechEndAt?: number): Promise<void> {
  const framer = new Framer();
  let at = 0;
  for (const f of [...framer.push(samples), ...framer.flush()]) {
    void s.push(f);
    at += f.samples.length;
    if (speechEndAt !== undefined && at >= speechEndAt && at - f.samples.length < speechEndAt) s.speech?.(false);
  }
}

async function heard(e: AsrEngine, samples: Int16Array) {
  const s = e.start();
  await feed(s, samples);
  return s.finish();
}

describe('the moonshine engine', () => {
  it('reads case, punctuation and digits as the grammar\'s words', () => {
    const g = new WordGraph(homeGrammar(HOME, [], true, true));
    let spot = { graph: g.start(), node: undefined, digits: '', words: [] as string[], letters: '' } as Parameters<typeof advance>[0] | undefined;
    for (const piece of ['▁Set', '▁Bed', '▁Light', '▁brightness', '▁to', '▁', '5', '0', '%', '.']) spot = spot && advance(spot, piece);
    expect(spot?.words.join(' ')).toBe('set bed light brightness to fifty percent');
    expect(spot?.graph.final).toBe(true);
    // Digits only where the grammar takes a number, and words only it has.
    expect(advance({ graph: g.start(), node: undefined, digits: '', words: [], letters: '' }, '▁Lock▁5')).toBeUndefined();
    expect(advance({ graph: g.start(), node: undefined, digits: '', words: [], letters: '' }, '▁Unlock▁the▁Bed▁Light')).toBeUndefined(); // a light is not locked
  });

  it('hears commands, a list item in an open slot, and rejects chatter', async () => {
    const e = createAsrEngine('moonshine', HOME);
    try {
      expect((await heard(e, await said('Lock the front door.'))).hypotheses[0]?.text).toBe('lock the front door');
      const list = await heard(e, await said('Add apples to my shopping list.'));
      expect(list.rejected).toBe(false);
      expect(list.hypotheses[0]?.text).toBe('add apples to my shopping list');
      const chatter = await heard(e, await said('I think we should go to the beach tomorrow afternoon.'));
      expect(chatter.rejected).toBe(true);
      expect(chatter.openText?.toLowerCase()).toContain('beach'); // what it heard is kept for the log
    } finally { await e.stop(); }
  }, 60000);

  it('decodes at the end of speech and keeps that when no speech follows, but not when it does', async () => {
    const e = createAsrEngine('moonshine', HOME);
    try {
      const command = await said('Turn off the kitchen light.');
      const whole = await heard(e, command);
      const early = e.start();
      await feed(early, command, command.length - 8000); // the VAD's end of speech, 0.5 s before the audio ends
      const t = await early.finish();
      expect(t.hypotheses[0]?.text).toBe('turn off the kitchen light');
      expect(t.hypotheses[0]?.text).toBe(whole.hypotheses[0]?.text);
      // Speech again after the early decode: the final one reads it all.
      const more = e.start();
      const [a, b] = [await said('Turn off'), await said('the kitchen light.')];
      const both = new Int16Array(a.length + b.length);
      both.set(a); both.set(b, a.length);
      await feed(more, a, a.length - 8000);
      more.speech?.(true);
      await feed(more, b);
      expect((await more.finish()).hypotheses[0]?.text).toBe('turn off the kitchen light');
    } finally { await e.stop(); }
  }, 60000);

  it('rejects the fixtures\' speech that is no command', async () => {
    const e = createAsrEngine('moonshine', HOME);
    try {
      const clip = readWav16k(fileURLToPath(new URL('../fixtures/audio/no-wake-word-rms.wav', import.meta.url))).samples;
      expect((await heard(e, clip)).rejected).toBe(true);
    } finally { await e.stop(); }
  }, 60000);
});
