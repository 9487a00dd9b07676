/**
 * The amortized engine's decoder at its seam: letter posteriors in, text out. The home grammar
 * (the JSGF pocketsphinx also decodes with) must pull a misspelt-sounding command onto the device
 * the home has, while the open beam keeps what was "heard"; a sentence the grammar cannot produce
 * has no grammar hypothesis at all.
 */
import { describe, expect, it } from 'vitest';
import { CtcBeamSearch } from '../../runtime/asr/ctc.js';
import { homeGrammar, garbageWords } from '../../runtime/asr/grammar.js';
import { WordGraph } from '../../runtime/asr/jsgf.js';

const ALPHABET = " 'abcdefghijklmnopqrstuvwxyz";
const HOME = { names: ['Kitchen Light', 'Bedroom Lamp', 'Oven'], areas: ['Kitchen', 'Bedroom'] };
const graph = () => new WordGraph(homeGrammar(HOME, [...garbageWords(HOME)]));

/** Posteriors that spell `text` (each letter two frames, a blank between), with `p` on the intended symbol. */
function spell(text: string, p = 0.9, confuse: Record<number, string> = {}): Float32Array[] {
  const frames: Float32Array[] = [];
  const frame = (sym: number, alt?: number) => {
    const f = new Float32Array(ALPHABET.length + 1).fill(Math.log((1 - p) / ALPHABET.length));
    f[sym] = Math.log(alt === undefined ? p : p * 0.4);
    if (alt !== undefined) f[alt] = Math.log(p * 0.6);
    frames.push(f);
  };
  [...text].forEach((ch, i) => {
    const sym = ALPHABET.indexOf(ch) + 1;
    const alt = confuse[i] ? ALPHABET.indexOf(confuse[i]!) + 1 : undefined;
    frame(sym, alt); frame(sym, alt); frame(0);
  });
  return frames;
}

function decode(frames: Float32Array[], grammar?: WordGraph) {
  const beam = new CtcBeamSearch(ALPHABET, 8, grammar?.start());
  frames.forEach((f) => beam.step(f));
  return beam.finish();
}

describe('CTC prefix beam search with the home grammar', () => {
  it('reads a clearly spelt command the same with and without the grammar', () => {
    const frames = spell('turn on the kitchen light');
    expect(decode(frames)[0]!.text).toBe('turn on the kitchen light');
    expect(decode(frames, graph())[0]!.text).toBe('turn on the kitchen light');
  });

  it('pulls a letter the model got wrong onto the name the home has', () => {
    // "kitchem": the model prefers m over n at the last letter of "kitchen" (index 18).
    const frames = spell('turn on the kitchen light', 0.9, { 18: 'm' });
    expect(decode(frames)[0]!.text).toBe('turn on the kitchem light');
    const best = decode(frames, graph())[0]!;
    expect(best.text).toBe('turn on the kitchen light');
    expect(best.logProb).toBeLessThan(decode(frames)[0]!.logProb); // the grammar had to bend the audio: lower score
  });

  it('keeps letters doubled only across a blank (CTC rule) and ends only where the grammar may end', () => {
    const frames = spell('turn off the oven');
    expect(decode(frames, graph())[0]!.text).toBe('turn off the oven');
    // "turn off the" is a prefix of the grammar but not a sentence: no complete hypothesis.
    expect(decode(spell('turn off the'), graph()).map((h) => h.text)).not.toContain('turn off the');
  });

  it('scores words the grammar cannot produce far below the open beam (what the confidence gate rejects)', () => {
    const frames = spell('zebra xylophone');
    const open = decode(frames)[0]!;
    expect(open.text).toBe('zebra xylophone');
    const forced = decode(frames, graph())[0];
    expect(forced === undefined || open.logProb - forced.logProb > 20).toBe(true);
  });

  it('gives an n-best list, best first', () => {
    // A last frame that may hold an "s": "kitchen light" (a name) or "kitchen lights" (area + kind).
    const frames = spell('turn on the kitchen light');
    const last = new Float32Array(ALPHABET.length + 1).fill(Math.log(1e-4));
    last[0] = Math.log(0.6);
    last[ALPHABET.indexOf('s') + 1] = Math.log(0.4);
    frames.push(last);
    const nbest = decode(frames, graph());
    expect(nbest.map((h) => h.text)).toEqual(expect.arrayContaining(['turn on the kitchen light', 'turn on the kitchen lights']));
    expect(nbest.length).toBeGreaterThan(1);
    for (let i = 1; i < nbest.length; i++) expect(nbest[i]!.logProb).toBeLessThanOrEqual(nbest[i - 1]!.logProb);
  });
});

describe('home grammar as a word graph', () => {
  it('accepts the carrier phrases over the home names and rejects word salad', () => {
    const accepts = (s: string) => {
      let st = graph().start() as ReturnType<WordGraph['start']> | undefined;
      for (const w of s.split(' ')) st = st?.step(w);
      return st?.final ?? false;
    };
    expect(accepts('turn on the kitchen light')).toBe(true);
    expect(accepts('set the bedroom lamp to fifty percent')).toBe(true);
    expect(accepts('one two three four')).toBe(true);
    expect(accepts('kitchen the turn')).toBe(false);
    expect(accepts('turn on the')).toBe(false);
  });
});
