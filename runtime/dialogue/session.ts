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

const FOLLOW_UP_INTENTS: ReadonlySet<string> = new Set(['HassTurnOn', 'HassTurnOff', 'HassGetState', 'HassClimateGetTemperature', 'HassLightSet', 'HassSetPosition', 'HassClimateSetTemperature']);

export class Session {
  lastDeviceIds: readonly string[] = [];
  lastDevicesAtMs = 0;
  pending: Pending | undefined;
  /** The last request that failed (normalised), to notice the same failure twice. */
  lastFailure: { readonly text: string; readonly atMs: number } | undefined;
  turns = 0;
  /** The last request about devices that worked: what a fragment ("and in the kitchen?") continues. */
  private lastRequest: { readonly match: IntentMatch; readonly atMs: number } | undefined;

  constructor(readonly id: string) {}

  /** Remembers a request a follow-up fragment may continue (device requests that were carried out or answered). */
  done(match: IntentMatch | undefined, outcome: string, nowMs: number): void {
    if (match && FOLLOW_UP_INTENTS.has(match.intent) && (outcome === 'action-done' || outcome === 'answered')) this.lastRequest = { match, atMs: nowMs };
  }

  lastRequestWithin(nowMs: number, windowMs: number): IntentMatch | undefined {
    return this.lastRequest && nowMs - this.lastRequest.atMs <= windowMs ? this.lastRequest.match : undefined;
  }

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
