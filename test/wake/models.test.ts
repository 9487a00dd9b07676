/** Every shipped model matches its manifest and has a card; wake-word models carry their non-commercial license. */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkManifests } from '../../tools/models/manifest.js';
import { DEFAULT_MODELS_DIR, readManifest } from '../../runtime/models/manifest.js';
import { resolveWakeWords } from '../../runtime/wake/models.js';
import { WIDE_MEL } from '../../runtime/wake/mel.js';

describe('models/', () => {
  it('matches every manifest (size, sha256, tensor shapes) and has a card per model', async () => {
    expect(await checkManifests(DEFAULT_MODELS_DIR, false)).toEqual([]);
  }, 30000);

  it('records CC BY-NC-SA 4.0 for the pretrained wake words, in the manifest and the card', () => {
    const wake = readdirSync(DEFAULT_MODELS_DIR).filter((d) => d.startsWith('wake-') && !d.startsWith('wake-hearth-'));
    expect(wake.length).toBeGreaterThanOrEqual(4);
    for (const id of wake) {
      expect(readManifest(DEFAULT_MODELS_DIR, id).license).toBe('CC-BY-NC-SA-4.0');
      expect(readFileSync(join(DEFAULT_MODELS_DIR, id, 'card.md'), 'utf8')).toContain('CC BY-NC-SA 4.0');
    }
  });

  it('records Apache-2.0 for Hearth\'s own wake-word classifiers, with the threshold their card was measured at', () => {
    const hearth = readdirSync(DEFAULT_MODELS_DIR).filter((d) => d.startsWith('wake-hearth-') && !d.endsWith('-verifier'));
    expect(hearth.sort()).toEqual(['wake-hearth-alexa', 'wake-hearth-hey_jarvis', 'wake-hearth-hey_mycroft', 'wake-hearth-hey_rhasspy']);
    for (const id of hearth) {
      const m = readManifest(DEFAULT_MODELS_DIR, id);
      expect(m.license).toBe('Apache-2.0');
      expect(m.inputs[0]!.shape).toEqual([1, 16, 96]);
      expect(readFileSync(join(DEFAULT_MODELS_DIR, id, 'card.md'), 'utf8')).toContain(`threshold ${m.threshold}`);
    }
  });

  it('gives each verifier a folder of its own (Apache-2.0, [1, 160, bands] mel frames, a threshold its card states), named by its classifier', () => {
    const verifiers = readdirSync(DEFAULT_MODELS_DIR).filter((d) => d.startsWith('wake-hearth-') && d.endsWith('-verifier'));
    expect(verifiers.length).toBeGreaterThanOrEqual(2);
    for (const id of verifiers) {
      const m = readManifest(DEFAULT_MODELS_DIR, id);
      expect(m.license).toBe('Apache-2.0');
      expect(m.inputs[0]!.shape).toEqual([1, 160, m.features === 'mel40-8k' ? WIDE_MEL.bins : 32]);
      expect(readFileSync(join(DEFAULT_MODELS_DIR, id, 'card.md'), 'utf8')).toContain(`threshold ${m.threshold}`);
      const classifier = readManifest(DEFAULT_MODELS_DIR, id.replace(/-verifier$/, ''));
      expect(classifier.verifier).toBe(id);
      expect(classifier.withoutVerifier?.threshold).toBeGreaterThan(0);
    }
  });
});

describe('which model a wake word uses', () => {
  const words = (over: object = {}) => [{ id: 'hey_jarvis', model: null, threshold: null, patienceFrames: null, refractoryMs: 2000, ...over }];

  it('takes Hearth\'s classifier with its manifest threshold and patience, or the pretrained one, as wake.classifiers says', () => {
    const manifest = readManifest(DEFAULT_MODELS_DIR, 'wake-hearth-hey_jarvis');
    expect(manifest.patienceFrames).toBeGreaterThanOrEqual(1);
    const [hearth] = resolveWakeWords({ classifiers: 'hearth', words: words() }, DEFAULT_MODELS_DIR);
    expect(hearth).toMatchObject({ id: 'hey_jarvis', modelId: 'wake-hearth-hey_jarvis', threshold: manifest.threshold, patienceFrames: manifest.patienceFrames });
    const [pretrained] = resolveWakeWords({ classifiers: 'openwakeword', words: words() }, DEFAULT_MODELS_DIR);
    expect(pretrained).toMatchObject({ modelId: 'wake-hey_jarvis', threshold: 0.5, patienceFrames: 1 });
  });

  it('runs the verifier a classifier names at the point chosen with it, or the classifier alone at its own point (wake.verifiers: false)', () => {
    const w = [{ ...words()[0]!, id: 'hey_mycroft' }];
    const manifest = readManifest(DEFAULT_MODELS_DIR, 'wake-hearth-hey_mycroft');
    const [on] = resolveWakeWords({ classifiers: 'hearth', words: w }, DEFAULT_MODELS_DIR);
    expect(on).toMatchObject({ verifierId: 'wake-hearth-hey_mycroft-verifier', threshold: manifest.threshold, patienceFrames: manifest.patienceFrames });
    const [off] = resolveWakeWords({ classifiers: 'hearth', verifiers: false, words: w }, DEFAULT_MODELS_DIR);
    expect(off).toMatchObject({ threshold: manifest.withoutVerifier!.threshold, patienceFrames: manifest.withoutVerifier!.patienceFrames });
    expect(off!.verifierId).toBeUndefined();
  });

  it('lets a word name its own model folder, threshold and patience', () => {
    const [w] = resolveWakeWords({ classifiers: 'hearth', words: words({ model: 'wake-alexa', threshold: 0.7, patienceFrames: 4 }) }, DEFAULT_MODELS_DIR);
    expect(w).toMatchObject({ id: 'hey_jarvis', modelId: 'wake-alexa', threshold: 0.7, patienceFrames: 4 });
  });

  it('names the missing folder and the setting to change', () => {
    expect(() => resolveWakeWords({ classifiers: 'hearth', words: [{ ...words()[0]!, id: 'hey_toaster' }] }, DEFAULT_MODELS_DIR))
      .toThrow(expect.objectContaining({ code: 'model-missing', message: expect.stringMatching(/wake-hearth-hey_toaster.*wake\.words\[\]\.model/) }));
  });
});
