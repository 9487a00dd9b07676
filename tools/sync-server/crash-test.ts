/**
 * kill -9 at random moments of bundle applies, many times (issue 6 asks for 1,000; the test suite
 * does 20 per run): after every kill the database must pass PRAGMA integrity_check and hold either the
 * old bundle or the new one, never a mix. Prints a summary line; exits 1 on the first violation.
 *
 *   node dist/tools/sync-server/crash-test.js [--kills 1000]
 */
import { versionOf } from './version-word.js';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../runtime/store/db.js';
import { heldState } from '../../runtime/sync/bundle.js';
import { newServiceKeys } from './sign.js';

export async function crashTest(kills: number, log: (s: string) => void = () => undefined): Promise<{ kills: number; applied: number; violations: number }> {
  // The compiled loop (tests run this file from sources; npm test builds dist/ first).
  const script = fileURLToPath(new URL('../../dist/tools/sync-server/apply-loop.js', import.meta.url)).replace('/dist/dist/', '/dist/');
  const dir = mkdtempSync(join(tmpdir(), 'hearth-crash-'));
  try {
    return await killLoop(join(dir, 'hearth.db'), script, kills, log);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function killLoop(file: string, script: string, kills: number, log: (s: string) => void): Promise<{ kills: number; applied: number; violations: number }> {
  openDatabase(file).db.close();
  const keys = newServiceKeys();
  const pem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let version = 1, violations = 0, seed = 12345;
  const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
  for (let run = 0; run < kills; run++) {
    const child = spawn(process.execPath, [script, file, keys.publicKeyB64, String(version)], { env: { ...process.env, HEARTH_TEST_KEY: pem }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((res, rej) => {
      child.stdout.once('data', () => res());
      child.once('exit', (code) => rej(new Error(`${script} exited (${code}) before it was ready: is dist/ built?`)));
    });
    await new Promise((res) => setTimeout(res, 5 + rnd() * 250));
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    const { db } = openDatabase(file);
    const ok = db.pragma('integrity_check', { simple: true }) === 'ok';
    const held = heldState(db);
    const versions = new Set((db.prepare("SELECT target_text FROM rewrites WHERE layer = 'global'").all() as { target_text: string }[]).map((t) => t.target_text.split(' ').at(-1)));
    const consistent = held ? versions.size === 1 && versionOf([...versions][0]!) === held.version : versions.size === 0;
    if (!ok || !consistent) violations++;
    if (held) version = held.version + 1;
    db.close();
    if ((run + 1) % 100 === 0) log(`${run + 1} kills, bundle v${version - 1} held, ${violations} violations`);
  }
  return { kills, applied: version - 1, violations };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--kills');
  const r = await crashTest(i > 0 ? Number(process.argv[i + 1]) : 1000, (s) => process.stderr.write(`${s}\n`));
  process.stdout.write(`${r.kills} kill -9 during applies: ${r.applied} bundles applied in all, ${r.violations} violations (integrity_check failures or mixed bundles)\n`);
  process.stdout.write(`${r.kills - r.violations} passed, ${r.violations} failed\n`); // the closing line CI reads
  process.exitCode = r.violations === 0 ? 0 : 1;
}
