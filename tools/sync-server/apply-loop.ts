/**
 * For the crash test: applies ever newer signed bundles to a hub database until it is killed.
 * Each bundle's rewrites carry its version in their targets, so a mix would show.
 *   HEARTH_TEST_KEY=<pkcs8 pem> node dist/tools/sync-server/apply-loop.js <db> <public key b64> <first version>
 */
import { createPrivateKey } from 'node:crypto';
import { openDatabase } from '../../runtime/store/db.js';
import { RewriteCache } from '../../runtime/rewrite/cache.js';
import { applyBundle, publicKeyFrom } from '../../runtime/sync/bundle.js';
import { signBundle } from './sign.js';
import { versionWord } from './version-word.js';

const [dbPath, pub, first] = process.argv.slice(2);
const privateKey = createPrivateKey(process.env['HEARTH_TEST_KEY'] ?? '');
const { db } = openDatabase(dbPath!);
const cache = new RewriteCache(db, { minSimilarity: 0.8, minPersonalSupport: 3, maxPosting: 5000, sensitiveWords: [] });
const key = publicKeyFrom(pub!);
process.stdout.write('ready\n');
for (let v = Number(first); ; v++) {
  const rows = Array.from({ length: 300 }, (_, i) => ({ source: `request ${i} of the day`, target: `turn on lamp ${i} version ${versionWord(v)}`, support: 5, probability: 0.9 }));
  const b = signBundle(rows, v, Date.now(), Date.now() + 86_400_000, privateKey);
  applyBundle(db, cache, b.manifest, b.signature, b.body, key, Date.now());
}
