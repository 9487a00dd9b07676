/** pocketsphinx specifics: its grammar, pronunciations for new names, and a clear error without its model. */
import { describe, expect, it } from 'vitest';
import { commandPart, fallbackPronunciation, GARBAGE, grammarWords, homeGrammar } from '../../runtime/asr/grammar.js';
import { PocketsphinxEngine } from '../../runtime/asr/pocketsphinx.js';

describe('home grammar', () => {
  it('holds the names, areas and carrier phrases, and only words a dictionary can spell', () => {
    const g = homeGrammar({ names: ['Zigbee Lamp 2', "Kid's Room Light"], areas: ['Kitchen'] });
    expect(g).toContain('<name> = zigbee lamp two | kid room light;');
    expect(g).toContain('public <utterance> = [<garbage>] <command> | <garbage>;');
    expect(grammarWords(g).every((w) => /^[a-z']+$/.test(w))).toBe(true);
  });

  it('cuts leading chatter and refuses chatter that ends in an answer', () => {
    const garbage = new Set(GARBAGE);
    expect(commandPart('but yeah turn on the kitchen light', garbage)).toBe('turn on the kitchen light');
    expect(commandPart('one two three four', garbage)).toBe('one two three four');
    expect(commandPart('that weather news nine six eight one', garbage)).toBeUndefined();
    expect(commandPart('going to work today', garbage)).toBeUndefined();
  });

  it('gives a new name a pronunciation from its letters', () => {
    expect(fallbackPronunciation('zigbee')).toBe('Z IH G B IY');
    expect(fallbackPronunciation('shelly')).toBe('SH EH L IY');
  });
});

describe('pocketsphinx engine', () => {
  it('names the packages to install when its model is missing', () => {
    expect(() => new PocketsphinxEngine({ names: [], areas: [] }, { hmm: '/nonexistent/en-us', dict: '/nonexistent/cmudict.dict' }))
      .toThrow(expect.objectContaining({ code: 'asr-model-missing', message: expect.stringContaining('pocketsphinx-en-us') }));
  });
});
