/**
 * The config's type is derived from its schema (runtime/config/from-schema.ts): enums, nullability and nesting come
 * from schema.ts alone. Checked by the compiler (npm test runs tsc first) and, for what it can see, at run time.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { HearthConfig, WakeWordConfig } from '../../runtime/config/config.js';
import { loadConfig } from '../../runtime/config/load.js';

describe('the config type', () => {
  it('has the schema\'s enums, nullables and nesting', () => {
    expectTypeOf<HearthConfig['asr']['engine']>().toEqualTypeOf<'pocketsphinx' | 'amortized' | 'moonshine' | 'none'>();
    expectTypeOf<HearthConfig['mqtt']['url']>().toEqualTypeOf<string | null>();
    expectTypeOf<HearthConfig['learning']['nightlyHour']>().toEqualTypeOf<number | null>();
    expectTypeOf<HearthConfig['aliases']>().toEqualTypeOf<Readonly<Record<string, readonly string[]>>>();
    expectTypeOf<WakeWordConfig['threshold']>().toEqualTypeOf<number | null>();
    // @ts-expect-error: not an engine the schema lists
    const wrong: HearthConfig['asr']['engine'] = 'whisper';
    expect(wrong).toBe('whisper');
  });

  it('is what the loader returns: every key filled, frozen', () => {
    const c = loadConfig({ env: {} });
    expect(c.asr.engine).toBe('moonshine');
    expect(c.wake.words[0]).toEqual({ id: 'hey_jarvis', model: null, threshold: null, patienceFrames: null, refractoryMs: 2000 });
    expect(Object.isFrozen(c.mqtt)).toBe(true);
  });
});
