/** Board profiles (firmware-config/profiles, `--profile`): each one is a valid config, and the user's own file wins over it. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config/load.js';

describe('board profiles', () => {
  it.each(['pi4', 'pi5', 'jetson-nano'])('%s is a valid config', (profile) => {
    expect(loadConfig({ profile, env: {} }).asr.engine).toBe('pocketsphinx');
  });

  it('sets what the board needs, under the user\'s file', () => {
    expect(loadConfig({ profile: 'jetson-nano', env: {} }).wake).toMatchObject({ threads: 2, embedding: 'float' });
    expect(loadConfig({ profile: 'pi5', env: {} }).wake.embedding).toBe('int8');
    const file = join(mkdtempSync(join(tmpdir(), 'hearth-profile-')), 'hearth.yaml');
    writeFileSync(file, 'wake:\n  threads: 3\n');
    expect(loadConfig({ profile: 'jetson-nano', file, env: {} }).wake).toMatchObject({ threads: 3, embedding: 'float' });
  });

  it('names the profiles there are when one is unknown', () => {
    expect(() => loadConfig({ profile: 'pi9', env: {} })).toThrow(/No profile "pi9".*jetson-nano, pi4, pi5/);
  });
});
