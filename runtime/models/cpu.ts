/**
 * Which 8-bit embedding file suits this CPU. Both hold the same numbers; only how ONNX Runtime multiplies them differs:
 * - `openwakeword-embedding-int8` (weights stored as uint8, zero point 128): uint8 x uint8 kernels, exact on every CPU;
 * - `openwakeword-embedding-int8-vnni` (weights int8): uint8 x int8 kernels, faster, but exact only where the CPU adds
 *   the products in 32 bits (x86 VNNI: avx512_vnni or avx_vnni). Without VNNI, x86 adds pairs in saturating 16-bit
 *   sums (vpmaddubsw) and the embeddings drift (cosine to the float model 0.91 instead of 0.995, measured on an AVX2
 *   AMD EPYC), so a wake word is missed that the float model finds (test/wake/embedding-int8.test.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeId } from './onnx.js';

export const INT8_EMBEDDING = 'openwakeword-embedding-int8';
export const INT8_EMBEDDING_VNNI = 'openwakeword-embedding-int8-vnni';

/**
 * True when /proc/cpuinfo's flags (x86 Linux) name a VNNI extension; false elsewhere (ARM, macOS, no such file: null).
 * Null, not undefined, stands for "no file": an undefined argument would read this machine's file again.
 */
export function hasVnni(cpuinfo: string | null = readCpuinfo()): boolean {
  if (!cpuinfo) return false;
  const flags = cpuinfo.split('\n').find((l) => /^flags\s*:/.test(l));
  return flags !== undefined && /\s(avx512_vnni|avx_vnni)(\s|$)/.test(flags);
}

function readCpuinfo(): string | null {
  try { return readFileSync('/proc/cpuinfo', 'utf8'); } catch { return null; }
}

/**
 * The embedding model folder to load for `requested` (what embeddingModelId() gave): the int8-weight copy only on the
 * native runtime on a VNNI CPU (whose instruction multiplies uint8 by int8: on an AMD EPYC with AVX-512 VNNI it runs a
 * window in 0.63-0.73 ms against 1.22-1.51 for the uint8 copy, a streaming call in 0.30-0.37 against 0.37-0.46) and
 * when it is installed; otherwise
 * `requested` unchanged. The WASM runtime keeps the uint8 copy: its kernels are not the ones measured here.
 */
export function embeddingFor(requested: string, runtime: RuntimeId, modelsDir: string, vnni: boolean = hasVnni()): string {
  if (requested !== INT8_EMBEDDING || runtime !== 'onnxruntime-node' || !vnni) return requested;
  return existsSync(join(modelsDir, INT8_EMBEDDING_VNNI, 'manifest.json')) ? INT8_EMBEDDING_VNNI : requested;
}
