/** Times as people say them: a device request for later carries `when` (the hub does not act on it now). */
import { describe, expect, it } from 'vitest';
import { clockTime, later } from '../../runtime/nlu/clock.js';
import { Lexicon } from '../../runtime/nlu/lexicon.js';
import { normalize } from '../../runtime/nlu/normalize.js';
import { recognize } from '../../runtime/nlu/recognizer.js';

const at = (said: string) => clockTime(normalize(said));

describe('clock times and later', () => {
  it('reads clock times as people say them', () => {
    expect(at('at half past seven')).toEqual({ hours: 7, minutes: 30 });
    expect(at('at a quarter past seven')).toEqual({ hours: 7, minutes: 15 });
    expect(at('at a quarter to eight')).toEqual({ hours: 7, minutes: 45 });
    expect(at('at twenty to eight in the evening')).toEqual({ hours: 19, minutes: 40 });
    expect(at('at ten past midnight')).toEqual({ hours: 0, minutes: 10 });
    expect(at('at 7:30 pm')).toEqual({ hours: 19, minutes: 30 });
    expect(at("at seven o'clock")).toEqual({ hours: 7, minutes: 0 });
    expect(at('at noon')).toEqual({ hours: 12, minutes: 0 });
    expect(at('dim the lights at 7')).toBeUndefined(); // a level, not a time
    expect(at('set the lamp to half')).toBeUndefined();
  });

  it('marks a device request for later, and leaves the rest alone', () => {
    const lex = new Lexicon([{ name: 'Reading Lamp', aliases: [], domain: 'light', area: 'Living Room' }], ['Living Room'], []);
    expect(recognize('turn the reading lamp on at half past seven', lex)?.slots).toMatchObject({ name: 'Reading Lamp', when: 'at 7:30' });
    expect(recognize('turn off the reading lamp in half an hour', lex)?.slots.when).toBe('in half an hour');
    expect(recognize('turn on the reading lamp when I get home', lex)?.slots.when).toBe('when i get home');
    expect(recognize('when I get home turn on the reading lamp', lex)?.slots.when).toBe('when i get home');
    expect(recognize('turn off the reading lamp after the movie', lex)?.slots.when).toBe('after the movie');
    expect(recognize('turn on the reading lamp for 10 minutes', lex)?.slots.when).toBe('for 10 minutes'); // on now, off later: not doable
    expect(recognize('turn on the reading lamp', lex)?.slots.when).toBeUndefined();
    expect(recognize('set a timer for half an hour', lex)?.slots.when).toBeUndefined(); // a timer is for later by nature
    expect(later(normalize('set the reading lamp to 50 percent'))).toBeUndefined();
  });
});
