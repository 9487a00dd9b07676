/**
 * Home Assistant's sentence template language, as custom_sentences files use it: the parser (and its errors), the
 * matcher over the live home's lists, file loading with errors naming file and line, and the same sentences as JSGF
 * for the ASR grammar.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTemplate } from '../../runtime/nlu/templates/parse.js';
import { loadCustomFolder, parseCustomFile } from '../../runtime/nlu/templates/custom.js';
import { CustomSentences, fillResponse } from '../../runtime/nlu/templates/sentences.js';
import { Lexicon } from '../../runtime/nlu/lexicon.js';
import { homeGrammar } from '../../runtime/asr/grammar.js';

const lex = new Lexicon([
  { name: 'Reading Lamp', aliases: ['reader'], domain: 'light', area: 'Living Room' },
  { name: 'Porch Light', aliases: [], domain: 'light', area: 'Porch' },
], ['Living Room', 'Porch', 'Kitchen'], ['Ground Floor']);

const FILE = `language: "en"
intents:
  HassTurnOff:
    data:
      - sentences:
          - "lights out [in] [the] {area}"
        slots: {domain: light}
  Bedtime:
    data:
      - sentences:
          - "(it's | it is) bedtime [for {person}]"
          - "good night [<house>]"
  SetMood:
    data:
      - sentences:
          - "(make it; {mood})"
          - "play {song} on repeat"
          - "wait {minutes} minutes"
        requires_context:
          area: {slot: true}
lists:
  person:
    values: [Ann, {in: "the kids", out: children}]
  mood:
    values: [cosy, bright]
  song:
    wildcard: true
  minutes:
    range: {from: 1, to: 60}
expansion_rules:
  house: "(house | home | everyone)"
skip_words: [please]
responses:
  intents:
    Bedtime:
      default: "Good night{{ slots.person }}. Sleep well."
`;

describe('sentence templates', () => {
  it('parses the language and says where a template is broken', () => {
    expect(parseTemplate('turn (on|off) [the] {name}')).toMatchObject({ k: 'seq' });
    expect(() => parseTemplate('turn (on|off [the] {name}')).toThrow(/not closed/);
    expect(() => parseTemplate('turn on the lamp)')).toThrow(/without its opening bracket at column 17/);
    expect(() => parseTemplate('(a|b;c)')).toThrow(/mixed/);
    expect(parseTemplate('half an hour | a quarter of an hour')).toMatchObject({ k: 'alt', options: [{ k: 'text' }, { k: 'text' }] }); // top-level "|"
  });

  it('matches alternatives, optionals, permutations, lists, ranges, wildcards, rules and skip words', () => {
    const c = new CustomSentences();
    c.replace(parseCustomFile('bed.yaml', FILE));
    const m = (t: string, area?: string) => c.match(t, lex, area);
    expect(m('lights out in the porch')).toMatchObject({ intent: 'HassTurnOff', slots: { domain: 'light', area: 'Porch' } });
    expect(m('Lights out, kitchen please!')).toMatchObject({ intent: 'HassTurnOff', slots: { area: 'Kitchen' } });
    expect(m("it's bedtime for the kids")).toMatchObject({ intent: 'HearthCustom', slots: { custom_intent: 'Bedtime', custom_slots: { person: 'children' } } });
    expect(m('good night everyone')?.slots.custom_intent).toBe('Bedtime');
    expect(m('cosy make it', 'Kitchen')).toMatchObject({ slots: { custom_intent: 'SetMood', custom_slots: { mood: 'cosy', area: 'Kitchen' } } });
    expect(m('make it cosy')).toBeUndefined(); // requires_context: area, and no area is known
    expect(m('play never gonna give you up on repeat', 'Kitchen')?.slots.custom_slots).toMatchObject({ song: 'never gonna give you up' });
    expect(m('wait 45 minutes', 'Kitchen')?.slots.custom_slots).toMatchObject({ minutes: 45 });
    expect(m('wait 90 minutes', 'Kitchen')).toBeUndefined(); // outside the range
    expect(m('turn on the reading lamp')).toBeUndefined(); // not a custom sentence: Hearth's own rules read it
    expect(fillResponse('Good night {{ slots.person }}.', { person: 'Ann' })).toBe('Good night Ann.');
  });

  it('gives the ASR grammar the same sentences; a wildcard is an open slot, heard only by an engine that has them', () => {
    const c = new CustomSentences();
    c.replace(parseCustomFile('bed.yaml', FILE));
    const jsgf = c.jsgf(lex);
    expect(jsgf).toContain('lights out [in] [the] (living room | porch | kitchen)');
    expect(jsgf.some((j) => j.includes("(it's | it is) bedtime [for (ann | the kids)]"))).toBe(true);
    expect(jsgf).toContain('play <any> on repeat');
    expect(jsgf.some((j) => j.startsWith('wait <number>'))).toBe(true);
    const home = { names: [], areas: [], customPhrases: jsgf };
    expect(homeGrammar(home, [], true, true)).toContain('play <any> on repeat'); // moonshine
    expect(homeGrammar(home, [], true, false)).not.toContain('play <any>'); // pocketsphinx: no word stands for any word
    expect(homeGrammar(home, [], true, true)).toContain('the weather [like] in <any>'); // Hearth's own: "what's the weather like in New York"
  });

  it('takes requires_context domain and device_class as Home Assistant does: {name} is only such devices, heard and understood', () => {
    const home = new Lexicon([
      { name: 'Reading Lamp', aliases: [], domain: 'light', area: 'Living Room' },
      { name: 'Front Door', aliases: [], domain: 'lock', area: 'Hallway' },
    ], ['Living Room', 'Hallway'], []);
    const c = new CustomSentences();
    c.replace(parseCustomFile('glow.yaml', `language: "en"
intents:
  HassLightSet:
    data:
      - sentences: ["make {name} glow"]
        slots: {brightness: 100}
        requires_context: {domain: light}
`));
    expect(c.match('make reading lamp glow', home, undefined)).toMatchObject({ intent: 'HassLightSet', slots: { name: 'Reading Lamp', brightness: 100 } });
    expect(c.match('make front door glow', home, undefined)).toBeUndefined(); // a lock is not a light
    expect(c.jsgf(home)).toEqual(['make (reading lamp) glow']);
  });

  it('takes excludes_context: {name} is never such a device', () => {
    const home = new Lexicon([
      { name: 'Reading Lamp', aliases: [], domain: 'light', area: 'Living Room' },
      { name: 'Porch Light', aliases: [], domain: 'light', deviceClass: 'outdoor', area: 'Porch' },
      { name: 'Front Door', aliases: [], domain: 'lock', area: 'Hallway' },
    ], ['Living Room', 'Porch', 'Hallway'], []);
    const c = new CustomSentences();
    c.replace(parseCustomFile('wake.yaml', `intents:
  HassTurnOn:
    data:
      - sentences: ["wake up {name}"]
        excludes_context: {domain: lock, device_class: outdoor}
`));
    expect(c.match('wake up reading lamp', home, undefined)).toMatchObject({ intent: 'HassTurnOn', slots: { name: 'Reading Lamp' } });
    expect(c.match('wake up front door', home, undefined)).toBeUndefined(); // locks are excluded
    expect(c.match('wake up porch light', home, undefined)).toBeUndefined(); // and so is the outdoor class
    expect(c.jsgf(home)).toEqual(['wake up (reading lamp)']);
  });

  it('loads a folder; a broken file is left out with its file and line, the others still load', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-custom-'));
    writeFileSync(join(dir, 'good.yaml'), FILE);
    writeFileSync(join(dir, 'bad.yaml'), 'intents:\n  Oops:\n    data:\n      - sentences:\n          - "turn (on the lamp"\n');
    writeFileSync(join(dir, 'nolist.yaml'), 'intents:\n  Oops:\n    data:\n      - sentences:\n          - "play {album}"\n');
    const { set, errors } = loadCustomFolder(dir);
    expect(errors).toEqual([
      expect.stringMatching(/bad\.yaml line 5: "\(" not closed/),
      expect.stringMatching(/nolist\.yaml line 5: no list \{album\}/),
    ]);
    expect(set.sentences.length).toBe(6);
  });
});
