/**
 * Conversation state between turns: the devices "it" refers to, and a question the hub asked
 * (a PIN, which device, what an unknown word means, or whether the words were heard right) whose answer
 * needs no wake word.
 */
import type { DeviceCommand, IntentMatch, ResolvedAction } from '../types/pipeline.js';
import type { DeviceSnapshot } from '../types/device.js';

export type Pending =
  | { readonly kind: 'pin'; readonly action: ResolvedAction; readonly commands: readonly DeviceCommand[]; readonly what: string; readonly expiresAtMs: number }
  | { readonly kind: 'clarify'; readonly intent: IntentMatch; readonly options: readonly DeviceSnapshot[]; readonly expiresAtMs: number }
  | { readonly kind: 'teach-rewrite'; readonly source: string; readonly expiresAtMs: number }
  | { readonly kind: 'confirm'; readonly intent: IntentMatch; readonly action: ResolvedAction; readonly expiresAtMs: number }
  | { readonly kind: 'teach'; readonly concept: string; readonly domain: string; readonly targetIds: readonly string[]; readonly intent: IntentMatch; readonly tries: number; readonly expiresAtMs: number };

export class Session {
  lastDeviceIds: readonly string[] = [];
  lastDevicesAtMs = 0;
  pending: Pending | undefined;
  /** The last request that failed (normalised), to notice the same failure twice. */
  lastFailure: { readonly text: string; readonly atMs: number } | undefined;
  turns = 0;

  constructor(readonly id: string) {}

  /** The pending question, if it has not expired. */
  activePending(nowMs: number): Pending | undefined {
    if (this.pending && this.pending.expiresAtMs < nowMs) this.pending = undefined;
    return this.pending;
  }

  references(nowMs: number, referenceMs: number): readonly string[] {
    return nowMs - this.lastDevicesAtMs <= referenceMs ? this.lastDeviceIds : [];
  }

  remember(ids: readonly string[], nowMs: number): void {
    if (ids.length === 0) return;
    this.lastDeviceIds = ids;
    this.lastDevicesAtMs = nowMs;
  }
}
