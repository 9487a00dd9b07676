/**
 * `hearth asr-eval <natural-speech folder>`: the real people's clips of ../shared/datasets/natural-speech against a hub
 * holding the set's home. A few clips, copied with the set's manifest header and home, keep this test short.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NATURAL } from '../natural-clips.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config/load.js';
import { readNaturalSet } from '../../tools/eval/natural-set.js';
import { evaluateNatural, naturalHub } from '../../tools/eval/asr-natural.js';
import { ASR_DEFAULTS } from '../../runtime/asr/engines.js';


/** A natural-speech folder holding only the named clips of the shared set (same manifest columns, same home). */
export function naturalSubset(ids: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'natural-'));
  const lines = readFileSync(join(NATURAL, 'manifest.tsv'), 'utf8').split('\n');
  const keep = lines.slice(1).filter((l) => ids.includes(l.split('\t')[0]!));
  for (const l of keep) {
    const file = l.split('\t')[2]!;
    mkdirSync(join(dir, file.split('/')[0]!), { recursive: true });
    copyFileSync(join(NATURAL, file), join(dir, file));
  }
  writeFileSync(join(dir, 'manifest.tsv'), [lines[0], ...keep].join('\n'));
  copyFileSync(join(NATURAL, 'home.yaml'), join(dir, 'home.yaml'));
  return dir;
}

describe('natural-speech set', () => {
  it('reads every clip of the shared set with its category, and the home it talks about', () => {
    const set = readNaturalSet(NATURAL);
    expect(set.clips.filter((c) => c.category === 'wake').length).toBe(10);
    expect(set.clips.find((c) => c.id === 'rh3_turn_on_the_lamp')).toMatchObject({ category: 'commands', said: 'turn on the lamp' });
    expect(set.home.area).toBe('Office');
    expect(set.home.messages.some((m) => m.topic === 'zigbee2mqtt/bridge/devices')).toBe(true);
  });

  it('says which file is wrong', () => {
    const dir = mkdtempSync(join(tmpdir(), 'natural-bad-'));
    writeFileSync(join(dir, 'manifest.tsv'), 'id\tcategory\tfile\tsaid\nx\tmusic\tx.wav\tx\n');
    expect(() => readNaturalSet(dir)).toThrow(/manifest\.tsv line 2: category "music"/);
  });

  it('judges a spoken request by the turn it gives, against the same request typed', async () => {
    const set = readNaturalSet(naturalSubset(['rh3_turn_on_the_lamp', 'rh3_play_the_beatles', 'libri_0880']));
    const { hub, stop } = await naturalHub(set, loadConfig({ env: {} }));
    try {
      const r = await evaluateNatural(set, 'pocketsphinx', ASR_DEFAULTS, hub);
      const by = (id: string) => r.clips.find((c) => c.id === id)!;
      expect(by('rh3_turn_on_the_lamp')).toMatchObject({ kind: 'doable', heard: 'turn on the lamp', exact: true, sameTurn: true });
      expect(by('rh3_play_the_beatles').kind).toBe('other'); // the home has no media player
      expect(by('libri_0880')).toMatchObject({ kind: 'other', accepted: false });
      expect(r.doable).toBe(1);
    } finally { await stop(); }
  }, 60_000);
});

describe('wake-eval on a natural-speech folder', () => {
  it('takes the wake clips as positives of their word and every other clip as a negative of its category', async () => {
    const { readLabels, evaluateWake } = await import('../../tools/eval/wake.js');
    const { silentLogger } = await import('../../runtime/log.js');
    const dir = naturalSubset(['hey_mycroft_raven0', 'hey_jarvis_pmw2', 'libri_0880', 'rh3_turn_on_the_lamp']);
    expect(readLabels(dir).map((l) => [l.kind, l.word ?? l.set])).toEqual([['positive', 'hey_jarvis'], ['positive', 'hey_mycroft'], ['negative', 'commands'], ['negative', 'negatives']]);
    // All four words on: hey_rhasspy has no positives here, yet its false accepts count.
    const config = loadConfig({ env: {}, overrides: { wake: { words: ['alexa', 'hey_jarvis', 'hey_mycroft', 'hey_rhasspy'].map((id) => ({ id })) } } });
    const reports = await evaluateWake(dir, config, silentLogger);
    expect(reports.map((r) => [r.word, r.positives, r.falseRejects, r.falseAccepts])).toEqual([['alexa', 0, 0, 0], ['hey_jarvis', 1, 0, 0], ['hey_mycroft', 1, 0, 0], ['hey_rhasspy', 0, 0, 0]]);
  }, 60_000);
});
