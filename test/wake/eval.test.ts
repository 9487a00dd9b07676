/** wake-eval's counting, and a small end-to-end run on the fixture clips. */
import { describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateWake, firings, readLabels } from '../../runtime/wake/eval.js';
import { loadConfig } from '../../runtime/config/load.js';
import { silentLogger } from '../../runtime/log.js';
import { MicrophoneSource } from '../../runtime/audio/sources.js';

describe('firings', () => {
  const t = Float32Array.from([0, 0.6, 0.7, 0.2, 0.9, 0.9, 0.9, 0, 0, 0, 0, 0.8]);
  it('counts firings as the live decider makes them: patience frames in a row, then the refractory period', () => {
    expect(firings(t, 0.5, 1, 0)).toBe(6); // no refractory: every frame over the threshold fires
    expect(firings(t, 0.5, 2, 0)).toBe(2);
    expect(firings(t, 0.5, 1, 20)).toBe(1);
    expect(firings(t, 0.95, 1, 0)).toBe(0);
  });
});

describe('wake-eval on the fixture clips', () => {
  it('finds both hey jarvis clips, and no false accept on the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hearth-wakeeval-'));
    const fx = (f: string) => fileURLToPath(new URL(`../fixtures/audio/${f}`, import.meta.url));
    mkdirSync(join(dir, 'positives/hey_jarvis'), { recursive: true });
    mkdirSync(join(dir, 'positives/alexa'), { recursive: true });
    mkdirSync(join(dir, 'negatives/speech'), { recursive: true });
    copyFileSync(fx('hey-jarvis-command-slt.wav'), join(dir, 'positives/hey_jarvis/slt.wav'));
    copyFileSync(fx('hey-jarvis-espeak-22k.wav'), join(dir, 'positives/hey_jarvis/espeak.wav'));
    copyFileSync(fx('alexa-time-awb.wav'), join(dir, 'positives/alexa/awb.wav'));
    copyFileSync(fx('no-wake-word-rms.wav'), join(dir, 'negatives/speech/rms.wav'));
    expect(readLabels(dir)).toHaveLength(4);
    const reports = await evaluateWake(dir, loadConfig({ env: {} }), silentLogger);
    const jarvis = reports.find((r) => r.word === 'hey_jarvis')!;
    expect(jarvis).toMatchObject({ positives: 2, falseRejects: 0, falseAccepts: 0 });
    expect(reports.find((r) => r.word === 'alexa')).toMatchObject({ positives: 1, falseRejects: 0, falseAccepts: 0 });
    expect(jarvis.negativeHours).toBeGreaterThan(0);
    // The DET sweep: a higher threshold never rejects fewer positives.
    for (let i = 1; i < jarvis.det.length; i++) expect(jarvis.det[i]!.frr).toBeGreaterThanOrEqual(jarvis.det[i - 1]!.frr);
  }, 60000);

  it('names a folder that is not an evaluation set', () => {
    expect(() => readLabels(tmpdir())).toThrow(/positives/);
  });
});

describe('microphone', () => {
  it('says which package to install when the recorder is missing, and does not crash', async () => {
    const path = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      await expect(new MicrophoneSource('arecord', null).start(() => undefined)).rejects.toMatchObject({ code: 'audio-recorder-missing', message: expect.stringContaining('alsa-utils') });
    } finally {
      process.env['PATH'] = path;
    }
  });
});
