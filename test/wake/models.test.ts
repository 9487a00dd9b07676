/** Every shipped model matches its manifest and has a card; wake-word models carry their non-commercial license. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkManifests } from '../../tools/models/manifest.js';
import { DEFAULT_MODELS_DIR, readManifest } from '../../runtime/wake/models.js';

describe('models/', () => {
  it('matches every manifest (size, sha256, tensor shapes) and has a card per model', async () => {
    expect(await checkManifests(DEFAULT_MODELS_DIR, false)).toEqual([]);
  }, 30000);

  it('records CC BY-NC-SA 4.0 for the pretrained wake words, in the manifest and the card', () => {
    const wake = readdirSync(DEFAULT_MODELS_DIR).filter((d) => d.startsWith('wake-'));
    expect(wake.length).toBeGreaterThanOrEqual(4);
    for (const id of wake) {
      expect(readManifest(DEFAULT_MODELS_DIR, id).license).toBe('CC-BY-NC-SA-4.0');
      expect(readFileSync(join(DEFAULT_MODELS_DIR, id, 'card.md'), 'utf8')).toContain('CC BY-NC-SA 4.0');
    }
  });
});
