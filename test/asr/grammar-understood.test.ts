/**
 * What can be said can be understood: sentences drawn at random from a home's ASR grammar (every path equally likely
 * at each branch, seeded) all reach an intent when the NLU reads them, as the hub would after the engine (leading wake
 * words cut off). A sentence the recogniser may hear but the NLU cannot read is a request the hub answers with "sorry".
 * Open slots are left out: they stand for words the model wrote, not for sentences of the grammar.
 */
import { describe, expect, it } from 'vitest';
import { commandPart, homeGrammar } from '../../runtime/asr/grammar.js';
import { homeWordsOf } from '../../runtime/asr/home-words.js';
import { ANY_WORD, WordGraph } from '../../runtime/asr/jsgf.js';
import { Lexicon } from '../../runtime/nlu/lexicon.js';
import { recognize } from '../../runtime/nlu/recognizer.js';

const lex = new Lexicon([
  { name: 'Reading Lamp', aliases: ['reader'], domain: 'light', area: 'Living Room' },
  { name: 'Ceiling Light', aliases: [], domain: 'light', area: 'Kitchen' },
  { name: 'Front Door', aliases: [], domain: 'lock', area: 'Hallway' },
  { name: 'Coffee Maker', aliases: [], domain: 'switch', area: 'Kitchen' },
  { name: 'Kitchen Sensor', aliases: [], domain: 'sensor', deviceClass: 'temperature', area: 'Kitchen' },
  { name: 'Kitchen Blind', aliases: [], domain: 'cover', deviceClass: 'blind', area: 'Kitchen' },
  { name: 'Thermostat', aliases: [], domain: 'climate', area: 'Living Room' },
  { name: 'Movie Night', aliases: [], domain: 'scene' },
  { name: 'TV', aliases: [], domain: 'media_player', area: 'Living Room' },
  { name: 'Ceiling Fan', aliases: [], domain: 'fan', area: 'Bedroom' },
], ['Living Room', 'Kitchen', 'Hallway', 'Bedroom'], []);

function* sentences(graph: WordGraph, count: number, seed: number): Generator<string> {
  let x = seed;
  const rnd = () => { x = (x * 1103515245 + 12345) % 2147483648; return x / 2147483648; };
  for (let n = 0; n < count; n++) {
    let s = graph.start();
    const words: string[] = [];
    while (words.length < 25) {
      const next = s.nextWords;
      if (s.final && (next.length === 0 || rnd() < 0.25)) break;
      const w = next[Math.floor(rnd() * next.length)]!;
      if (w === ANY_WORD) break;
      words.push(w);
      s = s.step(w)!;
    }
    const text = s.final ? commandPart(words.join(' '), new Set()) : undefined;
    if (text) yield text;
  }
}

describe('the home grammar and the NLU agree', () => {
  it('every sentence the ASR may hear reaches an intent', () => {
    const graph = new WordGraph(homeGrammar(homeWordsOf(lex), [], true, false));
    const heard = [...sentences(graph, 5000, 7)];
    expect(heard.length).toBeGreaterThan(3000);
    const lost = [...new Set(heard.filter((t) => !recognize(t, lex)))];
    expect(lost).toEqual([]);
  });
});
