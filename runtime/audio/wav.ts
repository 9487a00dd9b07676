/**
 * RIFF/WAVE in and out: PCM 8/16/24/32-bit and IEEE float 32/64, any channel count (averaged to
 * mono), WAVE_FORMAT_EXTENSIBLE, and the streaming writers' data size of 0 or 0xFFFFFFFF. A file cut
 * short keeps the whole frames it has. Anything else is an `audio-unreadable` error naming the source.
 */
import { readFileSync } from 'node:fs';
import { HearthError } from '../types/errors.js';
import { SAMPLE_RATE_HZ } from '../types/audio.js';
import { floatToInt16, Resampler } from './resample.js';

export interface WavInfo {
  readonly sampleRateHz: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly encoding: 'pcm' | 'float';
  /** Sample frames (one sample per channel) in the data chunk as read. */
  readonly frames: number;
  /** True when the data chunk was shorter than its header said. */
  readonly truncated: boolean;
}

interface Fmt { readonly format: number; readonly channels: number; readonly rate: number; readonly bits: number; readonly blockAlign: number }

const bad = (source: string, why: string) => new HearthError('audio-unreadable', 'input', `${source}: ${why}`, { source });

export function decodeWav(bytes: Uint8Array, source: string): { info: WavInfo; mono: Float32Array } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw bad(source, 'not a WAV file (no RIFF/WAVE header)');
  let fmt: Fmt | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw bad(source, 'fmt chunk too short');
      let format = view.getUint16(body, true);
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true); // extensible: the sub-format GUID starts with the real code
      fmt = { format, channels: view.getUint16(body + 2, true), rate: view.getUint32(body + 4, true), blockAlign: view.getUint16(body + 12, true), bits: view.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) throw bad(source, 'data chunk before the fmt chunk');
      const declared = size === 0 || size === 0xffffffff ? bytes.length - body : size;
      const available = Math.min(declared, bytes.length - body);
      const checked = info(fmt, source, available, declared > available); // validates before any sample is read
      return { info: checked, mono: samples(view, body, available, fmt, source) };
    }
    at = body + size + (size % 2);
  }
  throw bad(source, fmt ? 'no data chunk' : 'no fmt chunk');
}

function info(f: Fmt, source: string, bytes: number, truncated: boolean): WavInfo {
  const encoding = f.format === 1 ? 'pcm' : f.format === 3 ? 'float' : undefined;
  if (!encoding) throw bad(source, `unsupported WAV encoding ${f.format} (PCM and IEEE float are read)`);
  if (f.channels < 1 || f.channels > 32) throw bad(source, `${f.channels} channels`);
  if (f.rate < 4000 || f.rate > 384000) throw bad(source, `sample rate ${f.rate} Hz`);
  const ok = encoding === 'pcm' ? [8, 16, 24, 32].includes(f.bits) : [32, 64].includes(f.bits);
  if (!ok) throw bad(source, `${f.bits}-bit ${encoding} samples are not supported`);
  return { sampleRateHz: f.rate, channels: f.channels, bitsPerSample: f.bits, encoding, frames: Math.floor(bytes / (f.channels * (f.bits / 8))), truncated };
}

function samples(view: DataView, start: number, bytes: number, f: Fmt, source: string): Float32Array {
  const width = f.bits / 8;
  const frameBytes = width * f.channels;
  if (frameBytes === 0) throw bad(source, 'zero-width samples');
  const n = Math.floor(bytes / frameBytes);
  const out = new Float32Array(n);
  const read = reader(view, f.format, f.bits);
  for (let i = 0; i < n; i++) {
    let acc = 0;
    for (let c = 0; c < f.channels; c++) acc += read(start + i * frameBytes + c * width);
    out[i] = acc / f.channels;
  }
  return out;
}

function reader(view: DataView, format: number, bits: number): (at: number) => number {
  if (format === 3) return bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (bits) {
    case 8: return (at) => (view.getUint8(at) - 128) / 128;
    case 16: return (at) => view.getInt16(at, true) / 32768;
    case 24: return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16)) / 8388608);
    default: return (at) => view.getInt32(at, true) / 2147483648;
  }
}

/** A WAV file as 16 kHz mono int16, resampled when needed. */
export function readWav16k(path: string): { info: WavInfo; samples: Int16Array } {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new HearthError('audio-unreadable', 'input', `${path}: ${(err as Error).message}`, { source: path }, err);
  }
  const { info, mono } = decodeWav(bytes, path);
  return { info, samples: toInt16At16k(mono, info.sampleRateHz) };
}

export function toInt16At16k(mono: Float32Array, rateHz: number): Int16Array {
  if (rateHz === SAMPLE_RATE_HZ) return floatToInt16(mono);
  const r = new Resampler(rateHz, SAMPLE_RATE_HZ);
  const a = r.push(mono);
  const b = r.flush();
  const joined = new Float32Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return floatToInt16(joined);
}

/** 16-bit PCM mono WAV bytes (tests, tools, Hermes frames). */
export function encodeWav(samples: Int16Array, rateHz = SAMPLE_RATE_HZ): Uint8Array {
  const out = new Uint8Array(44 + samples.length * 2);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => { for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i); };
  put(0, 'RIFF'); v.setUint32(4, 36 + samples.length * 2, true); put(8, 'WAVE');
  put(12, 'fmt '); v.setUint32(16, 16, true); v.setUint16(20, 1, true); v.setUint16(22, 1, true);
  v.setUint32(24, rateHz, true); v.setUint32(28, rateHz * 2, true); v.setUint16(32, 2, true); v.setUint16(34, 16, true);
  put(36, 'data'); v.setUint32(40, samples.length * 2, true);
  for (let i = 0; i < samples.length; i++) v.setInt16(44 + i * 2, samples[i]!, true);
  return out;
}
