/**
 * Reversals: a device the hub just switched by voice, switched back by other means (a wall switch,
 * an app) soon after, is implicit feedback that the hub did the wrong thing. Watches the registry's
 * state changes for each commanded device until the window closes; a later hub command to the same
 * device ends the watch (that was the person asking again, not undoing by hand).
 */
import type { DeviceCommand } from '../types/pipeline.js';

interface Watch { readonly turnId: string; readonly power: 'on' | 'off'; readonly atMs: number; confirmed: boolean }

export class ReversalWatcher {
  private readonly watches = new Map<string, Watch>();

  constructor(private readonly windowMs: number, private readonly onReversal: (turnId: string, atMs: number) => void) {}

  /**
   * A voice turn sent these commands; `power` is what it switched them to (undefined: not an on/off).
   * `knownPower` is each device's power before the command: a device already in that state reports no
   * change, so its watch starts confirmed, and switching it the other way by hand is still a reversal.
   */
  commanded(turnId: string, commands: readonly DeviceCommand[], power: 'on' | 'off' | undefined, atMs: number, knownPower: (deviceId: string) => unknown = () => undefined): void {
    for (const c of commands) {
      if (power) this.watches.set(c.deviceId, { turnId, power, atMs, confirmed: knownPower(c.deviceId) === power });
      else this.watches.delete(c.deviceId);
    }
  }

  /** A device's power as the bridge reports it. The first report matching the command confirms it; an opposite one after that reverses it. */
  stateChanged(deviceId: string, power: unknown, atMs: number): void {
    const w = this.watches.get(deviceId);
    if (!w) return;
    if (atMs - w.atMs > this.windowMs) { this.watches.delete(deviceId); return; }
    if (power === w.power) { w.confirmed = true; return; }
    if (w.confirmed && (power === 'on' || power === 'off')) {
      this.watches.delete(deviceId);
      this.onReversal(w.turnId, atMs);
    }
  }
}
