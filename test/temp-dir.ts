/**
 * Vitest global setup: every temporary file of a test run goes under one folder made for the run and removed after it.
 * Tests make their folders with mkdtemp(tmpdir()), and the CLI children they start inherit TMPDIR, so this catches
 * both; without it each run left about 100 MB in /tmp (a copy of models/ is 25 MB), and a hub's test machine fills up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let runDir: string | undefined;

export function setup(): void {
  runDir = mkdtempSync(join(tmpdir(), 'hearth-test-run-'));
  // The workers that run the test files are started after this and take this environment.
  process.env['TMPDIR'] = runDir;
}

export function teardown(): void {
  if (runDir) rmSync(runDir, { recursive: true, force: true });
}
