/** The noise-floor gate that keeps the VAD asleep in a quiet room: pure, on made-up frames. */
import { describe, expect, it } from 'vitest';
import { frameEnergyDbfs, NoiseFloorGate } from '../../runtime/audio/noise-floor.js';

/** A 1280-sample frame of a square wave at `dbfs` (a square wave's energy is its amplitude squared). */
function frameAt(dbfs: number): Int16Array {
  const a = Math.round(32768 * 10 ** (dbfs / 20));
  return Int16Array.from({ length: 1280 }, (_, i) => (i % 2 ? a : -a));
}
const gate = (marginDb: number) => new NoiseFloorGate({ marginDb, windowFrames: 25, hangoverFrames: 12 });

describe('noise-floor gate', () => {
  it('measures frame energy in dB full scale, digital silence as -100 dB', () => {
    expect(frameEnergyDbfs(frameAt(-20))).toBeCloseTo(-20, 1);
    expect(frameEnergyDbfs(new Int16Array(1280))).toBeCloseTo(-100, 5);
  });

  it('runs the VAD until it knows the floor, then rests in a steady room', () => {
    const g = gate(6);
    const open = Array.from({ length: 60 }, () => g.push(frameAt(-60)));
    // 25 frames (2 s) to learn the floor, each counted as loud, and so 12 frames of hangover after them.
    expect(open.slice(0, 37).every(Boolean)).toBe(true);
    expect(open.slice(37).some(Boolean)).toBe(false);
  });

  it('opens on a frame over the floor by more than the margin, and stays open for the hangover', () => {
    const g = gate(6);
    for (let i = 0; i < 40; i++) g.push(frameAt(-60));
    expect(g.push(frameAt(-55))).toBe(false); // 5 dB: the room breathing
    expect(g.push(frameAt(-52))).toBe(true); // 8 dB: someone speaking, softly
    const after = Array.from({ length: 14 }, () => g.push(frameAt(-60)));
    expect(after.slice(0, 12).every(Boolean)).toBe(true);
    expect(after.slice(12).some(Boolean)).toBe(false);
  });

  it('follows the room up after 2 s, and down at once', () => {
    const g = gate(6);
    for (let i = 0; i < 40; i++) g.push(frameAt(-60));
    const louder = Array.from({ length: 60 }, () => g.push(frameAt(-40))); // a fan comes on
    expect(louder[0]).toBe(true);
    expect(louder.slice(-20).some(Boolean)).toBe(false);
    expect(g.push(frameAt(-70))).toBe(false); // quieter than the floor: nothing to hear
    expect(g.push(frameAt(-33))).toBe(true); // speech over the fan
  });

  it('with margin 0, calls every frame loud', () => {
    const g = gate(0);
    expect(Array.from({ length: 50 }, () => g.push(frameAt(-60))).every(Boolean)).toBe(true);
  });

  it('refuses frames of the wrong size and nonsense settings', () => {
    expect(() => gate(6).push(new Int16Array(100))).toThrow(/1280-sample/);
    expect(() => new NoiseFloorGate({ marginDb: -1, windowFrames: 25, hangoverFrames: 12 })).toThrow(/marginDb/);
  });
});
