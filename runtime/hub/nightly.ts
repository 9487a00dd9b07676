/** The learning job at learning.nightlyHour local time each night (timer unref'd: it never keeps the process up). */
import type { Logger } from '../log.js';
import type { HearthConfig } from '../config/config.js';
import type { Component } from './components.js';
import type { VoiceTurns } from '../learning/voices/kept.js';
import { adaptPocketsphinx } from '../learning/voices/adapt.js';
import { adaptAmortized } from '../learning/voices/amortized.js';
import { DEBIAN_MODEL } from '../asr/pocketsphinx.js';

export class NightlyLearning implements Component {
  readonly name = 'learning-nightly';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly hour: number | null, private readonly nowMs: () => number, private readonly learn: () => void, private readonly log: Logger) {}

  start(): void {
    if (this.hour === null) return;
    const now = new Date(this.nowMs());
    const next = new Date(now);
    next.setHours(this.hour, 0, 0, 0);
    if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
    this.timer = setTimeout(() => {
      try { this.learn(); } catch (err) { this.log.error({ code: 'learning-failed', err: (err as Error).message }, 'the learning job failed; it runs again tomorrow'); }
      this.start();
    }, next.getTime() - now.getTime());
    this.timer.unref();
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/**
 * `hearth learn --voices` in the hub, after the nightly job, when the household keeps its voice turns: a kept
 * adaptation is taken by the running engine at once. It runs in sphinxtrain's and PyTorch's processes, off the event loop.
 */
export async function nightlyVoices(config: HearthConfig, voices: VoiceTurns, audio: { startAsr(): Promise<void> } | undefined, log: Logger): Promise<void> {
  if (!config.learning.keepVoiceTurns) return;
  for (const engine of ['pocketsphinx', 'amortized'] as const) {
    try {
      const r = engine === 'pocketsphinx' ? await adaptPocketsphinx(voices, config.dataDir, DEBIAN_MODEL, config.learning) : await adaptAmortized(voices, config.dataDir, config.learning);
      log.info({ code: r.kept ? 'voices-adapted' : 'voices-not-adapted', engine, turns: r.turns, heldBack: r.heldBack, version: r.version }, `${engine} voice adaptation: ${r.why}`);
      if (r.kept && config.asr.engine === engine) await audio?.startAsr();
    } catch (err) {
      log.error({ code: 'voices-adapt-failed', engine, err: (err as Error).message }, `the ${engine} voice adaptation failed; it keeps what it had, and it runs again tomorrow`);
    }
  }
}
