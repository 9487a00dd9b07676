/**
 * The policy stage: allowed, needs the PIN, or refused with a spoken reason. PIN failures and the
 * adoption of sensitive devices live in SQLite so a restart neither resets a lockout nor adopts a
 * lock that arrived later. Rewrites, taught concepts and cloud bundles all end in a ResolvedAction
 * that passes through here: none of them can skip it.
 */
import type { DeviceSnapshot } from '../types/device.js';
import type { PolicyDecision, ResolvedAction } from '../types/pipeline.js';
import type { Db } from '../store/db.js';
import { HubMeta } from '../store/db.js';
import { normalize } from '../nlu/normalize.js';
import { operationForTarget } from '../context/resolver.js';
import { isSensitiveDevice, isSensitiveOperation } from './sensitive.js';
import { holdsSecret } from './secret.js';

export interface PolicyConfig {
  readonly pin: string | null;
  readonly pinAttempts: number;
  readonly lockoutMinutes: number;
  readonly adoptionWindowMs: number;
  readonly enabledSensitive: readonly string[];
  readonly sensitiveNames: readonly string[];
}

/** Wrong PINs from all origins together, in pinAttempts, before the global backoff starts. */
export const GLOBAL_FACTOR = 3;
export const MAX_GLOBAL_BACKOFF_MS = 60_000;

export class Policy {
  private readonly meta: HubMeta;
  private readonly firstStartMs: number;
  private readonly getDevice;
  private readonly putDevice;
  private readonly addFailure;
  private readonly countFailures;
  private readonly clearFailures;
  private readonly countAll;

  constructor(db: Db, private readonly config: PolicyConfig, private readonly nowMs: () => number = Date.now) {
    this.meta = new HubMeta(db);
    const first = this.meta.get('first_start_ms');
    this.firstStartMs = first ? Number(first) : nowMs();
    if (!first) this.meta.set('first_start_ms', String(this.firstStartMs));
    this.getDevice = db.prepare<[string], { adopted: number }>('SELECT adopted FROM sensitive_devices WHERE device_id = ?');
    this.putDevice = db.prepare('INSERT OR IGNORE INTO sensitive_devices (device_id, name, adopted, first_seen_ms) VALUES (?, ?, ?, ?)');
    this.addFailure = db.prepare('INSERT INTO pin_failures (at_ms, origin) VALUES (?, ?)');
    this.countFailures = db.prepare<[number, string], { n: number }>('SELECT COUNT(*) AS n FROM pin_failures WHERE at_ms >= ? AND origin = ?');
    this.countAll = db.prepare<[number], { n: number; last: number | null }>('SELECT COUNT(*) AS n, MAX(at_ms) AS last FROM pin_failures WHERE at_ms >= ?');
    this.clearFailures = db.prepare('DELETE FROM pin_failures WHERE origin = ?');
  }

  /** Called for every device the registry learns of; remembers sensitive ones and whether they were there from the start. */
  noteDevice(d: DeviceSnapshot): void {
    if (!isSensitiveDevice(d.device)) return;
    const now = this.nowMs();
    this.putDevice.run(d.device.id, d.device.name, now - this.firstStartMs <= this.config.adoptionWindowMs ? 1 : 0, now);
  }

  private voiceEnabled(d: DeviceSnapshot): boolean {
    if (!isSensitiveDevice(d.device)) return true;
    if (this.config.enabledSensitive.some((n) => normalize(n) === normalize(d.device.name))) return true;
    const row = this.getDevice.get(d.device.id);
    if (!row) { this.noteDevice(d); return this.getDevice.get(d.device.id)?.adopted === 1; }
    return row.adopted === 1;
  }

  /**
   * An origin is locked out after pinAttempts wrong PINs within lockoutMinutes. Past GLOBAL_FACTOR times that from all
   * origins together (one party posing as many satellites), every origin waits a backoff after the latest wrong PIN
   * that doubles with each one but never exceeds MAX_GLOBAL_BACKOFF_MS: guessing slows to one try a minute, and the
   * household is never locked out for longer than that after the last try.
   */
  private lockedOut(origin: string): boolean {
    const since = this.nowMs() - this.config.lockoutMinutes * 60_000;
    if (this.countFailures.get(since, origin)!.n >= this.config.pinAttempts) return true;
    const all = this.countAll.get(since)!;
    const over = all.n - GLOBAL_FACTOR * this.config.pinAttempts;
    return over >= 0 && all.last !== null && this.nowMs() < all.last + Math.min(MAX_GLOBAL_BACKOFF_MS, 1000 * 2 ** over);
  }

  decide(action: ResolvedAction, origin = ''): PolicyDecision {
    if (!action.operation) return { kind: 'allowed' };
    for (const t of action.targets) {
      if (!this.voiceEnabled(t)) {
        return { kind: 'refused', code: 'policy-device-not-enabled', reason: `The ${t.device.name} was added after setup, so I can't control it by voice until it's enabled in the hub's config under policy.enabledSensitive.` };
      }
    }
    const sensitive = action.targets.map((t) => { const op = operationForTarget(action, t); return op ? isSensitiveOperation(t.device, op, this.config.sensitiveNames) : undefined; }).find((x) => x);
    if (!sensitive) return { kind: 'allowed' };
    if (!this.config.pin) return { kind: 'refused', code: 'policy-no-pin', reason: `To ${sensitive} by voice, set a household PIN in the hub's config first.` };
    if (this.lockedOut(origin)) return { kind: 'refused', code: 'policy-locked-out', reason: `Too many wrong PINs. Voice control of locks, doors and ovens is paused for ${this.config.lockoutMinutes} minutes.` };
    return { kind: 'needs-pin', reason: sensitive };
  }

  /** Whether the words hold the household PIN, or digits shaped like one (policy/secret.ts). */
  holdsSecret(text: string): boolean {
    return holdsSecret(text, this.config.pin);
  }

  /** Checks a spoken PIN; wrong ones count towards the lockout. */
  checkPin(digits: string, origin = ''): 'ok' | 'wrong' | 'locked-out' {
    if (this.lockedOut(origin)) return 'locked-out';
    if (this.config.pin !== null && digits === this.config.pin) {
      this.clearFailures.run(origin);
      return 'ok';
    }
    this.addFailure.run(this.nowMs(), origin);
    return this.lockedOut(origin) ? 'locked-out' : 'wrong';
  }
}
