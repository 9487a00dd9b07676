/** The learning job at learning.nightlyHour local time each night (timer unref'd: it never keeps the process up). */
import type { Logger } from '../log.js';
import type { Component } from './components.js';

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
