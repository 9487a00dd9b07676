/**
 * `hearth listen --file` on real audio conditions: a real voice ("hey jarvis", 0.3 s, "turn on the lamp", from the
 * natural-speech set) with a DC offset, clipped, far-field, and at 8 and 48 kHz. The front end (resampling at the
 * edge, offset removal) must hand the models the same speech: the wake word and the command each time.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { encodeWav } from '../../runtime/audio/wav.js';
import { speechSpan, wakePauseCommand } from '../natural-clips.js';

const cli = fileURLToPath(new URL('../../dist/runtime/cli/main.js', import.meta.url));
const exec = promisify(execFile);
const clampS16 = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v)));

/** The stream at another rate: linear interpolation (up) or the mean of each `factor` samples (down, a crude low-pass). */
function atRate(x: Int16Array, rateHz: number): Int16Array {
  if (rateHz > 16000) {
    const k = rateHz / 16000;
    return Int16Array.from({ length: Math.floor(x.length * k) }, (_, i) => { const t = i / k, j = Math.floor(t); return clampS16(x[j]! + (x[Math.min(j + 1, x.length - 1)]! - x[j]!) * (t - j)); });
  }
  const f = 16000 / rateHz;
  return Int16Array.from({ length: Math.floor(x.length / f) }, (_, i) => { let s = 0; for (let k = 0; k < f; k++) s += x[i * f + k]!; return clampS16(s / f); });
}

/** RMS of the speech (between the first and last loud window), in dBFS. */
function speechDbfs(x: Int16Array): number {
  const [a, b] = speechSpan(x);
  let e = 0;
  for (let i = a; i < b; i++) e += x[i]! ** 2;
  return 10 * Math.log10(e / (b - a) / 32768 ** 2);
}

describe('hearth listen on real audio conditions', () => {
  const base = wakePauseCommand(0.3, 2.5);
  const far = 10 ** ((-40 - speechDbfs(base)) / 20);
  const cases: [string, Uint8Array][] = [
    ['as recorded', encodeWav(base)],
    ['DC offset of +0.1 full scale', encodeWav(base.map((v) => clampS16(v + 3277)))],
    ['clipped (x12, 20 dB over full scale at the peaks)', encodeWav(base.map((v) => clampS16(v * 12)))],
    ['far field (speech at -40 dBFS)', encodeWav(base.map((v) => clampS16(v * far)))],
    ['8 kHz', encodeWav(atRate(base, 8000), 8000)],
    ['48 kHz', encodeWav(atRate(base, 48000), 48000)],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'conditions-'));
  it.each(cases)('%s: the wake word, then "turn on the lamp"', async (name, wav) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.wav`);
    writeFileSync(file, wav);
    const r = await exec(process.execPath, [cli, 'listen', '--file', file], { env: { PATH: process.env['PATH'], HEARTH__EMBEDDEDBROKER__PORT: '1', HEARTH__AREAS: '{Lamp: Living Room}' }, timeout: 30000 });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.filter((l) => l['event'] === 'wake').map((l) => l['wakeWord'])).toEqual(['hey_jarvis']);
    // What the person notices is the lamp going on: "turn on the lamp", "lamp on" (clipped) and the like all do that.
    const text = String(lines.find((l) => l['event'] === 'asr')?.['text']);
    expect(text).toMatch(/\blamp\b/);
    expect(text).toMatch(/\bon\b/);
    expect(text).not.toMatch(/\boff\b/);
  }, 30_000);
});
