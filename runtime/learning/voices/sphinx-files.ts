/**
 * The files sphinxtrain's bw and mllr_solve read, made from what Debian ships: the en-us model keeps its mixture
 * weights only as pocketsphinx's quantized `sendump`, and bw needs them as S3 `mixture_weights`; the features are
 * Sphinx `.mfc` cepstra. Formats as sphinxbase's bio.c writes them (little-endian here: readers check the magic).
 */
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { HearthError } from '../../types/errors.js';

const BYTE_ORDER_MAGIC = 0x11223344;

/** sendump's byte b is the weight 1.0001^-(b << 10) (mk_s2sendump's SENSCR_SHIFT), stored [feature][density][senone]. */
export interface MixtureWeights { readonly senones: number; readonly features: number; readonly densities: number; readonly weights: Float32Array }

export function readSendump(path: string): MixtureWeights {
  const buf = readFileSync(path);
  const bad = (why: string) => new HearthError('voices-model-unreadable', 'environment', `${path} is not a pocketsphinx sendump file: ${why}.`);
  let at = 0;
  const int = () => { if (at + 4 > buf.length) throw bad('it ends early'); const v = buf.readInt32LE(at); at += 4; return v; };
  if (buf.length < 4 || buf.readInt32LE(0) < 1 || buf.readInt32LE(0) > 999) throw bad('no little-endian header');
  let features = 0, clusters = 0;
  for (;;) {
    const n = int();
    if (n === 0) break;
    const line = buf.toString('latin1', at, at + n - 1);
    at += n;
    const m = /^(feature_count|cluster_count) (\d+)/.exec(line);
    if (m?.[1] === 'feature_count') features = Number(m[2]);
    if (m?.[1] === 'cluster_count') clusters = Number(m[2]);
  }
  if (clusters !== 0) throw bad('clustered (cluster_count > 0) weights are not read here');
  const densities = int(), senones = int();
  if (features < 1 || at + features * densities * senones > buf.length) throw bad(`${features} x ${densities} x ${senones} weights do not fit`);
  const weights = new Float32Array(senones * features * densities);
  const step = 1024 * Math.log(1.0001);
  // Quantizing truncated each weight down: the sums come out near 0.95, so each mixture is normalised again.
  for (let f = 0; f < features; f++) {
    for (let s = 0; s < senones; s++) {
      let sum = 0;
      for (let d = 0; d < densities; d++) sum += Math.exp(-buf[at + (f * densities + d) * senones + s]! * step);
      for (let d = 0; d < densities; d++) weights[(s * features + f) * densities + d] = Math.exp(-buf[at + (f * densities + d) * senones + s]! * step) / sum;
    }
  }
  return { senones, features, densities, weights };
}

/** sphinxbase's running checksum over 32-bit words. */
function checksum(words: Uint32Array, sum: number): number {
  for (let i = 0; i < words.length; i++) sum = ((((sum << 20) | (sum >>> 12)) >>> 0) + words[i]!) >>> 0;
  return sum;
}

/** An S3 3-d float array (mixture_weights: [senone][feature][density]) with its header and checksum. */
export function writeMixtureWeights(path: string, m: MixtureWeights): void {
  const head = Buffer.from('s3\nversion 1.0\nchksum0 yes\nendhdr\n', 'latin1');
  const dims = new Uint32Array([m.senones, m.features, m.densities, m.weights.length]);
  const body = new Uint32Array(m.weights.buffer, m.weights.byteOffset, m.weights.length);
  const sum = checksum(body, checksum(dims, 0));
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, head);
    writeSync(fd, new Uint32Array([BYTE_ORDER_MAGIC]));
    writeSync(fd, dims);
    writeSync(fd, body);
    writeSync(fd, new Uint32Array([sum]));
  } finally { closeSync(fd); }
}

/**
 * Whether `path` is a whole Gaussian-means file for the model whose means are `reference`: the same header and shape,
 * finite values, and sphinxbase's checksum right. The decoder is never handed one that is not: pocketsphinx ends the
 * whole process on a means file it cannot read.
 */
export function sameShapeMeans(path: string, reference: string): boolean {
  let a: Buffer;
  try { a = readFileSync(path); } catch { return false; }
  const b = readFileSync(reference);
  const head = b.indexOf('endhdr\n') + 7 + 4; // the header, then the byte-order magic
  if (head < 11 || a.length !== b.length || !a.subarray(0, head).equals(b.subarray(0, head)) || (a.length - head) % 4 !== 0) return false;
  const words = new Uint32Array(a.buffer.slice(a.byteOffset + head, a.byteOffset + a.length));
  const dims = 3 + b.readUInt32LE(head + 4) + 1; // n_mgau, n_feat, n_density, each stream's length, the count
  const ref = new Uint32Array(b.buffer.slice(b.byteOffset + head, b.byteOffset + head + dims * 4));
  for (let i = 0; i < dims; i++) if (words[i] !== ref[i]) return false;
  const values = new Float32Array(words.buffer, dims * 4, words.length - dims - 1);
  for (const v of values) if (!Number.isFinite(v)) return false;
  return checksum(words.subarray(0, words.length - 1), 0) === words[words.length - 1];
}

/** A Sphinx feature file: the count of floats, then frames x ncep float32. */
export function writeMfc(path: string, cepstra: Float32Array): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, new Int32Array([cepstra.length]));
    writeSync(fd, cepstra);
  } finally { closeSync(fd); }
}
