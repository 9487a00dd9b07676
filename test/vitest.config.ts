/** Kept in test/ because the top level of the repository is fixed (package.json names it with --config). */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/temp-dir.ts'],
  },
});
