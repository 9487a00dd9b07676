/**
 * The hub's SQLite file and what lives in it: the turn log, refusal counts, taught concepts, the rewrite cache, the
 * policy's PIN state, implicit feedback (reversals by hand, barge-ins). The first component to start, the last to stop.
 */
import type { HearthConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import type { DeviceRegistry } from '../../device-adapters/registry.js';
import { openDatabase, type Db } from '../store/db.js';
import { InteractionLog } from '../store/interactions.js';
import { ConceptStore } from '../store/concepts.js';
import { Refusals } from '../store/refusals.js';
import { RewriteCache, rewriteSensitiveWords } from '../rewrite/cache.js';
import { heldState } from '../sync/bundle.js';
import { ReversalWatcher } from '../learning/reversal.js';
import { Policy } from '../policy/policy.js';
import type { Component } from './components.js';
import { VoiceTurns } from '../learning/voices/kept.js';
import { dirname } from 'node:path';

export interface StoreHooks {
  /** Refusal counts, each time they are saved (the hub publishes them). */
  readonly refusalCounts: (counts: Record<string, number>) => void;
  /** Last writes before the file closes (the home's vocabulary for the report). */
  readonly beforeClose: () => void;
}

export class HubStore implements Component {
  readonly name = 'store';
  private opened: { db: Db; interactions: InteractionLog; refused: Refusals; concepts: ConceptStore; policy: Policy; rewrites: RewriteCache | undefined; reversals: ReversalWatcher; feedback: (turnId: string, kind: string, atMs: number) => void; voices: VoiceTurns } | undefined;

  constructor(private readonly config: Pick<HearthConfig, 'rewrite' | 'policy' | 'pin' | 'learning'>, private readonly dbPath: string, private readonly registry: DeviceRegistry,
    private readonly nowMs: () => number, private readonly log: Logger, private readonly hooks: StoreHooks) {}

  start(): void {
    const c = this.config;
    const { db, movedCorruptTo } = openDatabase(this.dbPath, this.nowMs);
    if (movedCorruptTo) {
      this.log.error({ code: 'store-corrupt', file: this.dbPath, movedTo: movedCorruptTo },
        `the database ${this.dbPath} was corrupt; it was kept as ${movedCorruptTo} and a new one was started (taught concepts and rewrites must be restored from it)`);
    }
    let rewrites: RewriteCache | undefined;
    if (c.rewrite.enabled) {
      rewrites = new RewriteCache(db, { ...c.rewrite, sensitiveWords: rewriteSensitiveWords(c.policy.sensitiveNames) }, this.nowMs);
      rewrites.globalExpiresAtMs = heldState(db)?.expiresAtMs; // a synced bundle past its expiry is not used
    }
    const policy = new Policy(db, { pin: c.pin, ...c.policy }, this.nowMs);
    this.registry.events.on('device-added', (d) => policy.noteDevice(d));
    const insertFeedback = db.prepare<[string, string, number]>('INSERT INTO feedback_events (turn_id, kind, at_ms) VALUES (?, ?, ?)');
    const feedback = (turnId: string, kind: string, atMs: number) => { insertFeedback.run(turnId, kind, atMs); };
    const reversals = new ReversalWatcher(c.learning.reversalWindowMs, (turnId, atMs) => {
      feedback(turnId, 'reversal', atMs);
      this.log.info({ turnId, code: 'feedback-reversal' }, 'a device the hub switched was switched back by hand');
    });
    this.registry.events.on('state-changed', ({ snapshot, changed }) => {
      if ('power' in changed) reversals.stateChanged(snapshot.device.id, changed['power'], this.nowMs());
    });
    this.opened = {
      db, interactions: new InteractionLog(db, this.log.child({ module: 'store' })), refused: new Refusals(db, this.nowMs, this.hooks.refusalCounts),
      concepts: new ConceptStore(db), policy, rewrites, reversals, feedback,
      voices: new VoiceTurns(db, dirname(this.dbPath), c.learning, this.nowMs, this.log.child({ module: 'voices' })),
    };
  }

  stop(): void {
    const o = this.opened;
    if (!o) return;
    try { this.hooks.beforeClose(); } catch { /* a full disk: the report falls back to what it has */ }
    o.refused.save();
    if (!o.interactions.flush()) this.log.error({ code: 'store-write-failed', lost: o.interactions.pendingRows }, 'turns that the disk refused are lost at shutdown');
    o.db.close();
    this.opened = undefined;
  }

  /** What the store holds, once started. */
  get open(): NonNullable<HubStore['opened']> {
    if (!this.opened) throw new Error('the store is not open: start the hub first');
    return this.opened;
  }

  get isOpen(): boolean {
    return this.opened !== undefined;
  }
}
