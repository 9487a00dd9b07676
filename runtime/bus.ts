/**
 * One typed event bus. A listener that throws is logged with the event name and does not take the
 * bus (or the emitting stage) down.
 */
import type { Logger } from './log.js';

export class EventBus<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  constructor(private readonly log: Logger) {}

  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of set) {
      try {
        (listener as (p: Events[K]) => void)(payload);
      } catch (err) {
        this.log.error({ event: String(event), err }, 'event listener failed');
      }
    }
  }
}
