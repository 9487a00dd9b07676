/**
 * The household's timers and lists in the running hub: one clock for every site's timers (the next end is the only
 * timer set in Node), an alert where a timer was set (spoken on that site, `<prefix>/timer/finished` on MQTT), the
 * active timers retained on `<prefix>/timers` and each list on `<prefix>/lists/<list>`. Timers that ended while the
 * hub was off are announced when it starts.
 */
import type { Logger } from '../log.js';
import type { Db } from '../store/db.js';
import { TimerStore, type TimerRow } from '../store/timers.js';
import { ListStore } from '../store/lists.js';
import { Household, spokenDuration } from '../dialogue/household.js';
import type { Component } from './components.js';
import { formatMessage, type hubTopics } from './api.js';

export interface TimerSide {
  readonly topics: ReturnType<typeof hubTopics>;
  db(): Db;
  publish(topic: string, payload: string, retain: boolean): void;
  /** Says `text` on the site (its speaker), and on the reply topic. */
  announce(siteId: string, text: string): void;
  nowMs(): number;
}

/** setTimeout's longest delay; a later end is waited for in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

export class HubTimers implements Component {
  readonly name = 'timers';
  private timer: NodeJS.Timeout | undefined;
  private store: TimerStore | undefined;
  private lists: ListStore | undefined;
  household: Household | undefined;

  constructor(private readonly side: TimerSide, private readonly log: Logger) {}

  start(): void {
    const db = this.side.db();
    this.store = new TimerStore(db);
    this.lists = new ListStore(db);
    this.household = new Household(this.store, this.lists, { timersChanged: () => this.schedule(), listChanged: (l) => this.publishList(l) });
    this.schedule();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.household = undefined;
  }

  /** Fires what is due, publishes the active timers, and sets the clock for the next end. */
  private schedule(): void {
    if (!this.store) return;
    if (this.timer) clearTimeout(this.timer);
    const now = this.side.nowMs();
    for (const t of this.store.due(now)) this.finished(t, now);
    const active = this.store.all().map((t) => ({ id: t.id, siteId: t.site_id, name: t.name, durationMs: t.duration_ms, leftMs: TimerStore.leftMs(t, now), paused: t.ends_at_ms === null }));
    this.side.publish(this.side.topics.timers, formatMessage('timers', { timers: active }), true);
    const next = this.store.nextEndMs();
    if (next === undefined) return;
    this.timer = setTimeout(() => this.schedule(), Math.min(MAX_DELAY_MS, Math.max(0, next - now)));
  }

  private finished(t: TimerRow, nowMs: number): void {
    this.store!.remove(t.id);
    const late = nowMs - (t.ends_at_ms ?? nowMs) > 60_000;
    const text = `${t.name ? `Your ${t.name} timer` : `Your ${spokenDuration(t.duration_ms).replace(/s( |$)/g, '$1')} timer`} is done${late ? ` (it ended while the hub was off)` : ''}.`;
    this.side.publish(this.side.topics.timerFinished, formatMessage('timerFinished', { id: t.id, siteId: t.site_id, name: t.name, durationMs: t.duration_ms, endedAtMs: t.ends_at_ms ?? nowMs }), false);
    this.side.announce(t.site_id, text);
    this.log.info({ siteId: t.site_id, name: t.name, durationMs: t.duration_ms }, 'timer finished');
  }

  private publishList(list: string): void {
    const slug = list.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
    this.side.publish(`${this.side.topics.lists}/${slug}`, formatMessage('list', { list, items: this.lists!.items(list) }), true);
  }
}
