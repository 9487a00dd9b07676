/**
 * The service side of a bundle: JSON-lines body, manifest (version, created, expires, size, sha256,
 * count) and an Ed25519 signature over the manifest's exact bytes. The hub verifies all of it
 * (runtime/sync/bundle.ts) against the public key pinned in its config.
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import type { BundleRewrite } from '../../runtime/sync/bundle.js';

export interface SignedBundle { readonly manifest: string; readonly signature: string; readonly body: Uint8Array }

export function signBundle(rewrites: readonly BundleRewrite[], version: number, createdMs: number, expiresMs: number, privateKey: KeyObject): SignedBundle {
  const body = Buffer.from(rewrites.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
  const manifest = JSON.stringify({
    version, created: new Date(createdMs).toISOString(), expires: new Date(expiresMs).toISOString(),
    size: body.length, sha256: createHash('sha256').update(body).digest('hex'), count: rewrites.length,
  });
  return { manifest, signature: sign(null, Buffer.from(manifest, 'utf8'), privateKey).toString('base64'), body };
}

/** A new service key pair; the public half (base64 SPKI DER) goes into every hub's sync.publicKey. */
export function newServiceKeys(): { privateKey: KeyObject; publicKeyB64: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyB64: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
}
