/** pocketsphinx specifics: its grammar, pronunciations for new names, and a clear error without its model. */
import { describe, expect, it } from 'vitest';
import { commandPart, fallbackPronunciation, GARBAGE, grammarWords, homeGrammar } from '../../runtime/asr/grammar.js';
import { leadingChatterMs, MAX_LEADING_CHATTER_MS, POCKETSPHINX_DEFAULTS, PocketsphinxEngine } from '../../runtime/asr/pocketsphinx.js';

describe('home grammar', () => {
  it('holds the names, areas and carrier phrases, and only words a dictionary can spell', async () => {
    const { WordGraph } = await import('../../runtime/asr/jsgf.js');
    const g = homeGrammar({ names: ['Zigbee Lamp 2', "Kid's Room Light"], areas: ['Kitchen'] });
    expect(g).toMatch(/<name\d+> = zigbee lamp two \| kid room light;/);
    const graph = new WordGraph(homeGrammar({ names: ['Zigbee Lamp 2', "Kid's Room Light"], areas: ['Kitchen'] }, []));
    for (const said of ['turn on zigbee lamp two', 'lock kid room light', 'turn off the lights in the kitchen']) { // no kind known: every verb may take them
      let s: ReturnType<typeof graph.start> | undefined = graph.start();
      for (const w of said.split(' ')) s = s?.step(w);
      expect(s?.final, said).toBe(true);
    }
    expect(g).toContain('public <utterance> = [<wake>] [<garbage>] <command> | [<wake>] <garbage>;');
    expect(grammarWords(g).every((w) => /^[a-z']+$/.test(w))).toBe(true);
  });

  it('offers only the kinds of device and the measures the home has', () => {
    const words = (kinds: string[]) => new Set(grammarWords(homeGrammar({ names: ['Porch'], areas: ['Kitchen'], kinds })));
    const lightsOnly = words(['light']);
    for (const w of ['tv', 'heating', 'thermostat', 'blinds', 'temperature', 'humidity', 'garage']) expect(lightsOnly.has(w)).toBe(false);
    expect(lightsOnly.has('lamp')).toBe(true);
    const more = words(['light', 'climate', 'sensor', 'sensor:humidity', 'cover', 'cover:garage']);
    for (const w of ['heating', 'temperature', 'humidity', 'blinds', 'garage']) expect(more.has(w)).toBe(true);
    expect(more.has('tv')).toBe(false);
  });

  it('lets each verb take only the devices it fits: no "unlock the lamp", no "activate" without a scene', async () => {
    const { WordGraph } = await import('../../runtime/asr/jsgf.js');
    const home = {
      names: ['Standing Light', 'Front Door', 'Garage Door', 'EcoBee', 'Outdoor Humidity', 'Porch'], areas: ['Office'],
      kinds: ['light', 'lock', 'cover', 'cover:garage', 'climate', 'sensor', 'sensor:humidity'],
      devices: [{ name: 'Standing Light', domain: 'light' }, { name: 'Front Door', domain: 'lock' }, { name: 'Garage Door', domain: 'cover', deviceClass: 'garage' },
        { name: 'EcoBee', domain: 'climate' }, { name: 'Outdoor Humidity', domain: 'sensor', deviceClass: 'humidity' }],
    };
    const graph = new WordGraph(homeGrammar(home, []));
    const says = (sentence: string) => {
      let s: ReturnType<typeof graph.start> | undefined = graph.start();
      for (const w of sentence.split(' ')) s = s?.step(w);
      return s?.final === true;
    };
    for (const ok of ['turn on standing light', 'unlock the front door', 'open the garage door', 'is the front door locked', 'turn off the ecobee',
      'what is the humidity of the outdoor humidity', 'set standing light brightness to fifty percent', 'turn off the lights in the office', 'unlock porch']) expect(says(ok), ok).toBe(true);
    for (const no of ['unlock standing light', 'lock the garage door', 'open the front door', 'activate standing light', 'turn on the front door',
      'set the ecobee brightness to fifty percent', 'is standing light locked', 'what is the temperature of the standing light']) expect(says(no), no).toBe(false);
    expect(says('activate porch')).toBe(true); // a name without a known kind is offered to every verb
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

describe('the grammar\'s own dictionary', () => {
  it('takes each grammar word\'s pronunciations from the model\'s dictionary, variants included, and guesses the rest', async () => {
    const { pronunciations, writeDict } = await import('../../runtime/asr/pocketsphinx-dict.js');
    const { DEBIAN_MODEL } = await import('../../runtime/asr/pocketsphinx.js');
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const p = pronunciations(DEBIAN_MODEL.dict, ['lamp', 'read', 'zigbee']);
    expect(p.get('lamp')).toEqual(['L AE M P']);
    expect(p.get('read')).toEqual(['R EH D', 'R IY D']);
    expect(p.get('zigbee')).toEqual(['Z IH G B IY']); // not in the dictionary: from its letters
    const file = join(mkdtempSync(join(tmpdir(), 'dict-')), 'home.dict');
    writeDict(file, p);
    expect(readFileSync(file, 'utf8')).toBe('lamp L AE M P\nread R EH D\nread(2) R IY D\nzigbee Z IH G B IY\n');
  });
});

describe('pocketsphinx engine', () => {
  it('decodes each utterance afresh: the same clip gives the same text whatever was heard before', async () => {
    const { readWav16k } = await import('../../runtime/audio/wav.js');
    const { Framer } = await import('../../runtime/audio/framer.js');
    const { fileURLToPath } = await import('node:url');
    const fx = (f: string) => readWav16k(fileURLToPath(new URL(`../fixtures/audio/${f}`, import.meta.url))).samples;
    const home = { names: ['Living Room Lamp', 'Kitchen Light', 'Bedroom Lamp', 'Front Door', 'Oven', 'Coffee Maker'], areas: ['Living Room', 'Kitchen', 'Bedroom'] };
    // Loud, then far-field and offset audio first: a running cepstral mean carried over would move the next decode.
    const loud = Int16Array.from(fx('no-wake-word-rms.wav'), (v) => Math.max(-32768, Math.min(32767, v * 4)));
    const far = Int16Array.from(fx('cmd-temperature-living-room-rms.wav'), (v) => Math.round(v / 30) + 900);
    for (const cmn of ['head', 'live', 'utterance'] as const) {
      const engine = new PocketsphinxEngine(home, undefined, { minScorePerFrame: -30, cmn });
      const decode = async (samples: Int16Array) => {
        const s = engine.start();
        const framer = new Framer();
        for (const f of [...framer.push(samples), ...framer.flush()]) await s.push(f);
        return (await s.finish()).hypotheses; // the text and its confidence, which follows the acoustic score
      };
      const clip = fx('cmd-bedroom-lamp-off-awb.wav');
      const first = await decode(clip);
      for (const before of [loud, far, loud, far]) await decode(before);
      // The text, and its confidence to within 0.03 (0.466 against 0.703 when the mean carried over; a trace of state
      // in the decoder's silence detection moves it by up to 0.02 with the clip decoded before: 0.445 after the others
      // against 0.463 after itself with live CMN, in the grammar of the eighth session).
      const again = await decode(clip);
      expect(again[0]?.text, cmn).toBe('turn off the bedroom lamp');
      expect(first[0]?.text).toBe('turn off the bedroom lamp');
      expect(Math.abs(again[0]!.confidence - first[0]!.confidence), cmn).toBeLessThan(0.03);
      await engine.stop();
    }
  }, 60000);

  it('starts the mean from the speaker\'s own first words: a request after a satellite\'s beep on a noisy microphone is heard', async () => {
    const { readWav16k } = await import('../../runtime/audio/wav.js');
    const { Framer } = await import('../../runtime/audio/framer.js');
    const { join } = await import('node:path');
    const { NATURAL } = await import('../natural-clips.js');
    const home = { names: ['Standing Light', 'Bed Light', 'Lamp'], areas: ['Living Room', 'Bedroom'], kinds: ['light'], devices: [
      { name: 'Standing Light', domain: 'light' }, { name: 'Bed Light', domain: 'light' }, { name: 'Lamp', domain: 'light' }] };
    // Speech-to-Phrase's recording: a beep, then "turn on Standing Light" 20-25 dB over the room's noise.
    const { samples } = readWav16k(join(NATURAL, 'commands/stp_turn_on_standing_light.wav'));
    const audio = new Int16Array(samples.length + 8000);
    audio.set(samples);
    const heard: Record<string, string | undefined> = {};
    for (const cmn of ['head', 'live'] as const) {
      const engine = new PocketsphinxEngine(home, undefined, { ...POCKETSPHINX_DEFAULTS, cmn });
      const s = engine.start();
      const framer = new Framer();
      for (const f of [...framer.push(audio), ...framer.flush()]) await s.push(f);
      const t = await s.finish();
      heard[cmn] = t.rejected ? undefined : t.hypotheses[0]?.text;
      await engine.stop();
    }
    expect(heard).toEqual({ head: 'turn on standing light', live: undefined }); // from the model's prior mean it is rejected
  }, 60000);

  it('rejects a command-like end of over a second of other talk', () => {
    const garbage = new Set(GARBAGE);
    const w = (word: string, s: number, e: number) => ({ word, startFrame: s, endFrame: e });
    // "<beep> that turn on the lamp": 0.3 s of garbage before the command is a noisy start, not talk.
    expect(leadingChatterMs([w('<sil>', 0, 40), w('that', 41, 70), w('turn', 71, 90), w('on', 91, 100)], garbage)).toBe(300);
    // The wake word and pauses are not talk; what follows the first command word is not counted.
    expect(leadingChatterMs([w('hey', 0, 20), w('jarvis', 21, 60), w('(NULL)', 61, 61), w('turn', 62, 80), w('and', 81, 200)], garbage)).toBe(0);
    expect(leadingChatterMs([w('here', 0, 25), w('was(2)', 26, 39), w('school', 40, 71), w('like', 72, 123), w('<sil>', 124, 200), w('maybe', 201, 226),
      w('news', 227, 254), w('is', 255, 278), w('lamp', 279, 293)], garbage)).toBe(1780);
    expect(MAX_LEADING_CHATTER_MS).toBeLessThan(1780);
  });

  it('names the packages to install when its model is missing', () => {
    expect(() => new PocketsphinxEngine({ names: [], areas: [] }, { hmm: '/nonexistent/en-us', dict: '/nonexistent/cmudict.dict' }))
      .toThrow(expect.objectContaining({ code: 'asr-model-missing', message: expect.stringContaining('pocketsphinx-en-us') }));
  });
});

describe('hearth asr-eval', () => {
  it('scores word and sentence errors and rejections from a manifest', async () => {
    const { mkdtempSync, writeFileSync, copyFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { fileURLToPath } = await import('node:url');
    const { evaluateAsr, readManifest, manifestHome, wordErrors } = await import('../../tools/eval/asr.js');
    const { createAsrEngine } = await import('../../runtime/asr/engines.js');
    expect(wordErrors('turn on the kitchen light', 'turn off the kitchen light')).toBe(1);
    expect(wordErrors('turn on the light', '')).toBe(4);
    const dir = mkdtempSync(join(tmpdir(), 'hearth-asreval-'));
    const fx = (f: string) => fileURLToPath(new URL(`../fixtures/audio/${f}`, import.meta.url));
    copyFileSync(fx('cmd-bedroom-lamp-off-awb.wav'), join(dir, 'a.wav'));
    copyFileSync(fx('no-wake-word-rms.wav'), join(dir, 'b.wav'));
    writeFileSync(join(dir, 'manifest.jsonl'), '{"audio":"b.wav","text":""}\n{"audio":"a.wav","text":"turn off the bedroom lamp"}\n');
    writeFileSync(join(dir, 'home.json'), JSON.stringify({ names: ['Living Room Lamp', 'Kitchen Light', 'Bedroom Lamp', 'Front Door', 'Living Room Sensor', 'Oven', 'Coffee Maker', 'Hallway Fan'], areas: ['Living Room', 'Kitchen', 'Bedroom', 'Hallway'] }));
    const m = join(dir, 'manifest.jsonl');
    const r = await evaluateAsr(createAsrEngine('pocketsphinx', manifestHome(m)!), readManifest(m));
    expect(r).toMatchObject({ utterances: 2, commands: 1, nonCommands: 1, wordErrors: 0, sentenceErrors: 0, falseAccepts: 0 });
  }, 60000);
});
