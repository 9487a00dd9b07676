/**
 * Hearth's own sentences (runtime/nlu/sentences/en.yaml) are read first, by the template reader; the rules read what
 * they do not say. The cases are ones the rules alone got wrong ("switch" read as a switch, "remove 5 minutes" read as
 * cancelling the timer) or that show a template's slots: a word the lexicon tags still matches the template's own
 * word, a measure the named sensor does not take is no template sentence.
 */
import { describe, expect, it } from 'vitest';
import { Lexicon } from '../../runtime/nlu/lexicon.js';
import { recognize } from '../../runtime/nlu/recognizer.js';

const lex = new Lexicon([
  { name: 'Reading Lamp', aliases: [], domain: 'light', area: 'Living Room' },
  { name: 'Front Door', aliases: [], domain: 'lock', area: 'Hallway' },
  { name: 'Kitchen Sensor', aliases: [], domain: 'sensor', deviceClass: 'temperature', area: 'Kitchen' },
  { name: 'Kitchen Blind', aliases: [], domain: 'cover', deviceClass: 'blind', area: 'Kitchen' },
  { name: 'Thermostat', aliases: [], domain: 'climate', area: 'Living Room' },
  { name: 'TV', aliases: [], domain: 'media_player', area: 'Living Room' },
], ['Living Room', 'Kitchen', 'Hallway'], []);

const read = (text: string) => {
  const m = recognize(text, lex);
  return { intent: m?.intent, slots: m?.slots, template: m?.rule.startsWith('template runtime/nlu/sentences/en.yaml line ') === true };
};

describe("Hearth's own sentence templates", () => {
  it('read the sentences they say, with the slots of their lists', () => {
    expect(read('switch the lamp on')).toEqual({ intent: 'HassTurnOn', slots: { domain: 'light', singular: true }, template: true });
    expect(read('please remove five minutes from the pizza timer')).toEqual({ intent: 'HassDecreaseTimer', slots: { name: 'pizza', minutes: 5 }, template: true });
    expect(read('lock the front door')).toEqual({ intent: 'HassTurnOn', slots: { name: 'Front Door', domain: 'lock' }, template: true });
    expect(read('is the thermostat on')).toEqual({ intent: 'HassGetState', slots: { name: 'Thermostat', domain: 'climate', state: 'on' }, template: true });
    expect(read('turn off all the lights in the house')).toEqual({ intent: 'HassTurnOff', slots: { all: true, domain: 'light', everywhere: true }, template: true });
    expect(read('set the kitchen blind to 40 percent')).toEqual({ intent: 'HassSetPosition', slots: { name: 'Kitchen Blind', domain: 'cover', position: 40 }, template: true });
    expect(read('set the temperature in the living room to 21 degrees')).toEqual({ intent: 'HassClimateSetTemperature', slots: { area: 'Living Room', temperature: 21 }, template: true });
    expect(read('add oat milk to my shopping list')).toEqual({ intent: 'HassShoppingListAddItem', slots: { item: 'oat milk' }, template: true });
    expect(read('pause the tv')).toEqual({ intent: 'HassMediaPause', slots: { name: 'TV', domain: 'media_player' }, template: true });
  });

  it('leave to the rules what they do not say', () => {
    // The named sensor measures temperature: no template sentence asks it for humidity.
    expect(read("what's the humidity of the kitchen sensor").template).toBe(false);
    // Free phrasing: the rules still read it.
    expect(read('could you make it a bit brighter in the kitchen')).toEqual({ intent: 'HassLightSet', slots: { area: 'Kitchen', brightness_step: 'up' }, template: false });
    // "all over" is the whole home, as "in the house" is.
    expect(read('turn off the lights all over')).toEqual({ intent: 'HassTurnOff', slots: { all: true, domain: 'light', everywhere: true }, template: false });
    // A brightness over 100 is outside the template's range list.
    expect(read('set the reading lamp brightness to 150 percent').template).toBe(false);
  });
});
