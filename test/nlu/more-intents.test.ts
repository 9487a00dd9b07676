/**
 * Intents Home Assistant users say that the hub only understands for now (it answers "not on this hub yet"): relative
 * volume, mute, fan speed, the lawn mower and broadcasts. Read wrongly before, some switched things ("turn the volume down
 * on the tv" turned the TV on).
 */
import { describe, expect, it } from 'vitest';
import { Lexicon } from '../../runtime/nlu/lexicon.js';
import { recognize } from '../../runtime/nlu/recognizer.js';
import { notYetText } from '../../runtime/dialogue/replies.js';

const lex = new Lexicon([
  { name: 'TV', aliases: [], domain: 'media_player', area: 'Living Room' },
  { name: 'Ceiling Fan', aliases: [], domain: 'fan', area: 'Bedroom' },
  { name: 'Reading Lamp', aliases: [], domain: 'light', area: 'Living Room' },
], ['Living Room', 'Bedroom'], []);
const read = (t: string) => { const m = recognize(t, lex); return { intent: m?.intent, slots: m?.slots }; };

describe('volume, mute, fan speed, mower, broadcast', () => {
  it('reads them with Home Assistant names and slots', () => {
    expect(read('turn the volume down on the tv')).toMatchObject({ intent: 'HassSetVolumeRelative', slots: { name: 'TV', volume_step: 'down' } });
    expect(read('louder please')).toMatchObject({ intent: 'HassSetVolumeRelative', slots: { volume_step: 'up' } });
    expect(read('decrease the volume by 10')).toMatchObject({ intent: 'HassSetVolumeRelative', slots: { volume_step: -10 } });
    expect(read('set the volume to 30')).toMatchObject({ intent: 'HassSetVolume', slots: { volume_level: 30 } });
    expect(read('mute the tv')).toMatchObject({ intent: 'HassMediaPlayerMute', slots: { name: 'TV' } });
    expect(read('unmute the tv')).toMatchObject({ intent: 'HassMediaPlayerUnmute', slots: { name: 'TV' } });
    expect(read('set the ceiling fan speed to 40 percent')).toMatchObject({ intent: 'HassFanSetSpeed', slots: { name: 'Ceiling Fan', percentage: 40 } });
    expect(read('mow the lawn').intent).toBe('HassLawnMowerStartMowing');
    expect(read('send the mower back to its base').intent).toBe('HassLawnMowerDock');
    expect(read('announce that Dinner is ready')).toMatchObject({ intent: 'HassBroadcast', slots: { message: expect.stringMatching(/^dinner is ready$/i) } });
    expect(read('turn the lights down')).toMatchObject({ intent: 'HassLightSet', slots: { brightness_step: 'down' } }); // lights, not volume
  });

  it('answers plainly that the hub cannot do them yet', () => {
    const m = recognize('mute the tv', lex)!;
    expect(notYetText(m)).toBe("I understood that, but media control isn't something I can do on this hub yet.");
    expect(notYetText(recognize('broadcast dinner is ready', lex)!)).toContain('broadcasting');
    expect(notYetText(recognize('turn on the reading lamp', lex)!)).toBeUndefined();
  });
});
