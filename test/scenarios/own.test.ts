/** Drives real hubs over a real (aedes) broker with the shared examples and our own scenarios. */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runScenario } from '../../runtime/cli/scenarios/runner.js';

const shared = '../shared/scenarios/examples';
const ours = 'test/scenarios/files';
// teach-study-mode belongs to the self-learning issue (teaching); every other example must pass.
const files = [
  ...readdirSync(shared).filter((f) => f !== 'teach-study-mode.yaml').map((f) => join(shared, f)),
  ...readdirSync(ours).map((f) => join(ours, f)),
];

describe('scenarios', () => {
  it.each(files)('%s', async (file) => {
    const r = await runScenario(file, process.env['HEARTH_TEST_BROKER'], Math.floor(Math.random() * 1e6));
    expect(r.error).toBeUndefined();
    expect(r.passed).toBe(true);
  }, 20000);
});
