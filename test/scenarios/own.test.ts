/** Drives real hubs over a real (aedes) broker with the shared examples and our own scenarios. */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runScenario } from '../../runtime/cli/scenarios/runner.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
// shared/ stands beside the repository in CI and developer checkouts; a user's clone has only our own scenarios.
const shared = join(root, '../shared/scenarios/examples');
const ours = join(root, 'test/scenarios/files');
// Every shared example must pass.
const files = [
  ...(existsSync(shared) ? readdirSync(shared) : []).map((f) => join(shared, f)),
  ...readdirSync(ours).map((f) => join(ours, f)),
];

describe('scenarios', () => {
  it.each(files)('%s', async (file) => {
    const r = await runScenario(file, process.env['HEARTH_TEST_BROKER'], Math.floor(Math.random() * 1e6));
    expect(r.error).toBeUndefined();
    expect(r.passed).toBe(true);
  }, 20000);
});
