/** Framing, PCM decoding and WAV reading: results never depend on how the audio arrived. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Framer, S16leDecoder } from '../../runtime/audio/framer.js';
import { decodeWav, encodeWav, readWav16k } from '../../runtime/audio/wav.js';
import { Resampler } from '../../runtime/audio/resample.js';
import { HearthError } from '../../runtime/types/errors.js';

function frameAll(samples: Int16Array, cuts: number[]) {
  const f = new Framer();
  const out = [];
  let at = 0;
  for (const c of [...cuts, samples.length]) {
    const end = Math.min(samples.length, Math.max(at, c));
    out.push(...f.push(samples.subarray(at, end)));
    at = end;
  }
  return [...out, ...f.flush()];
}

describe('Framer', () => {
  it('gives the same 1280-sample frames and start times for any chunking', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 9000 }), fc.array(fc.integer({ min: 0, max: 9000 }), { maxLength: 12 }), (n, cuts) => {
      const samples = Int16Array.from({ length: n }, (_, i) => (i * 37) % 65536 - 32768);
      const whole = frameAll(samples, []);
      const split = frameAll(samples, [...cuts].sort((a, b) => a - b));
      expect(split.map((f) => f.startMs)).toEqual(whole.map((f) => f.startMs));
      expect(split.map((f) => [...f.samples])).toEqual(whole.map((f) => [...f.samples]));
      expect(whole.every((f) => f.samples.length === 1280)).toBe(true);
      expect(whole.length).toBe(Math.ceil(n / 1280));
    }), { numRuns: 200 });
  });

  it('decodes s16le across chunks that split a sample', () => {
    const d = new S16leDecoder();
    const bytes = new Uint8Array([0x01, 0x00, 0xff, 0x7f, 0x00, 0x80]);
    expect([...d.decode(bytes.subarray(0, 3)), ...d.decode(bytes.subarray(3))]).toEqual([1, 32767, -32768]);
  });
});

function wavBytes(opts: { rate: number; channels: number; bits: number; format: 1 | 3 | 0xfffe; frames: number[][]; sub?: 1 | 3 }): Uint8Array {
  const width = opts.bits / 8;
  const fmtSize = opts.format === 0xfffe ? 40 : 16;
  const data = opts.frames.length * opts.channels * width;
  const out = new Uint8Array(12 + 8 + fmtSize + 8 + data);
  const v = new DataView(out.buffer);
  const put = (at: number, s: string) => { for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i); };
  put(0, 'RIFF'); v.setUint32(4, out.length - 8, true); put(8, 'WAVE'); put(12, 'fmt '); v.setUint32(16, fmtSize, true);
  v.setUint16(20, opts.format, true); v.setUint16(22, opts.channels, true); v.setUint32(24, opts.rate, true);
  v.setUint32(28, opts.rate * opts.channels * width, true); v.setUint16(32, opts.channels * width, true); v.setUint16(34, opts.bits, true);
  if (opts.format === 0xfffe) { v.setUint16(36, 22, true); v.setUint16(44, opts.sub ?? 1, true); }
  let at = 20 + fmtSize;
  put(at, 'data'); v.setUint32(at + 4, data, true); at += 8;
  for (const fr of opts.frames) for (const x of fr) {
    if (opts.format === 3 || opts.sub === 3) { if (opts.bits === 32) v.setFloat32(at, x, true); else v.setFloat64(at, x, true); }
    else if (opts.bits === 8) v.setUint8(at, Math.round(x * 127) + 128);
    else if (opts.bits === 16) v.setInt16(at, Math.round(x * 32767), true);
    else if (opts.bits === 24) { const n = Math.round(x * 8388607); v.setUint8(at, n & 0xff); v.setUint8(at + 1, (n >> 8) & 0xff); v.setInt8(at + 2, n >> 16); }
    else v.setInt32(at, Math.round(x * 2147483647), true);
    at += width;
  }
  return out;
}

describe('WAV decoding', () => {
  const frames = [[0.5, -0.5], [0.25, 0.25], [-1, -1]];
  it.each([
    ['8-bit PCM', { bits: 8, format: 1 as const }], ['16-bit PCM', { bits: 16, format: 1 as const }], ['24-bit PCM', { bits: 24, format: 1 as const }],
    ['32-bit PCM', { bits: 32, format: 1 as const }], ['32-bit float', { bits: 32, format: 3 as const }], ['64-bit float', { bits: 64, format: 3 as const }],
    ['extensible 16-bit', { bits: 16, format: 0xfffe as const, sub: 1 as const }], ['extensible float', { bits: 32, format: 0xfffe as const, sub: 3 as const }],
  ])('reads %s stereo as mono', (_n, o) => {
    const { info, mono } = decodeWav(wavBytes({ rate: 16000, channels: 2, frames, ...o }), 'x.wav');
    expect(info.channels).toBe(2);
    expect(info.frames).toBe(3);
    expect(mono[0]).toBeCloseTo(0, 2);
    expect(mono[1]).toBeCloseTo(0.25, 1);
    expect(mono[2]).toBeCloseTo(-1, 1);
  });

  it('round-trips its own encoding', () => {
    const s = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    expect([...readBack(encodeWav(s))]).toEqual([...s]);
  });

  it('keeps the whole frames of a file cut short and says it was', () => {
    const full = encodeWav(Int16Array.from({ length: 100 }, (_, i) => i));
    const { info, mono } = decodeWav(full.subarray(0, 44 + 51), 'cut.wav');
    expect(info.truncated).toBe(true);
    expect(mono.length).toBe(25);
  });

  it('names the file in every error, and never throws anything else on random bytes', () => {
    expect(() => decodeWav(new TextEncoder().encode('hello, not audio'), 'notes.txt')).toThrow(/notes\.txt: not a WAV/);
    expect(() => decodeWav(wavBytes({ rate: 16000, channels: 1, bits: 12, format: 1, frames: [] }), 'odd.wav')).toThrow(/odd\.wav: 12-bit/);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (tail, withHeader) => {
      const head = withHeader ? encodeWav(new Int16Array(4)).subarray(0, 36) : new Uint8Array(0);
      const bytes = new Uint8Array([...head, ...tail]);
      try { decodeWav(bytes, 'fuzz.wav'); } catch (err) { expect(err).toBeInstanceOf(HearthError); }
    }), { numRuns: 10000 });
  });

  it('reports a missing file by name', () => {
    expect(() => readWav16k('/nonexistent/clip.wav')).toThrow(/\/nonexistent\/clip\.wav/);
  });

  it('resamples 44.1 kHz to 16 kHz keeping the pitch and length', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-wav-'));
    const rate = 44100;
    const tone = Array.from({ length: rate }, (_, i) => [0.5 * Math.sin((2 * Math.PI * 440 * i) / rate)]);
    writeFileSync(join(dir, 'tone.wav'), wavBytes({ rate, channels: 1, bits: 16, format: 1, frames: tone }));
    const { samples, info } = readWav16k(join(dir, 'tone.wav'));
    expect(info.sampleRateHz).toBe(44100);
    expect(Math.abs(samples.length - 16000)).toBeLessThanOrEqual(2);
    let crossings = 0;
    for (let i = 1000; i < 15000; i++) if (samples[i - 1]! < 0 && samples[i]! >= 0) crossings++;
    expect(crossings / (14000 / 16000)).toBeCloseTo(440, -1);
  });

  it('resamples the same whatever the chunking', () => {
    const x = Float32Array.from({ length: 5000 }, (_, i) => Math.sin(i / 7));
    const once = new Resampler(48000, 16000);
    const a = [...once.push(x), ...once.flush()];
    const parts = new Resampler(48000, 16000);
    const b = [...parts.push(x.subarray(0, 1234)), ...parts.push(x.subarray(1234, 1235)), ...parts.push(x.subarray(1235)), ...parts.flush()];
    expect(b.length).toBe(a.length);
    b.forEach((v, i) => expect(v).toBeCloseTo(a[i]!, 5));
  });
});

function readBack(bytes: Uint8Array): Int16Array {
  const { mono } = decodeWav(bytes, 'mem.wav');
  return Int16Array.from(mono, (x) => Math.round(x * 32768));
}
