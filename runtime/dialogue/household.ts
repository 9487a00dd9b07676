/**
 * Requests about the household's own things, not devices: timers (per site: the one that set it hears it end) and
 * lists (shopping and named to-do lists). Home Assistant's intents and slots in, a spoken answer out; the stores keep
 * everything in SQLite, so a restart loses nothing.
 */
import type { IntentMatch, IntentSlots, VoiceResponse } from '../types/pipeline.js';
import { TimerStore, type TimerRow } from '../store/timers.js';
import type { ListStore } from '../store/lists.js';

export interface HouseholdHooks {
  /** Timers changed: the clock reschedules the next end. */
  timersChanged(): void;
  /** A list changed: it is published. */
  listChanged(list: string): void;
}

/** The list "add X to my shopping list" means. */
export const SHOPPING_LIST = 'shopping list';
/** The longest timer: a day (a longer one is a calendar's job). */
const MAX_TIMER_MS = 24 * 3600_000;

const answer = (speech: string, outcome: VoiceResponse['outcome'] = 'action-done'): VoiceResponse => ({ speech, outcome, continueConversation: false });

/** "1 hour and 5 minutes", "45 seconds". */
export function spokenDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const parts: [number, string][] = [[Math.floor(total / 3600), 'hour'], [Math.floor((total % 3600) / 60), 'minute'], [total % 60, 'second']];
  const said = parts.filter(([n]) => n > 0).map(([n, u]) => `${n} ${u}${n === 1 ? '' : 's'}`);
  if (said.length === 0) return '0 seconds';
  return said.length === 1 ? said[0]! : `${said.slice(0, -1).join(', ')} and ${said[said.length - 1]}`;
}

const durationMs = (s: IntentSlots) => ((s.hours ?? 0) * 3600 + (s.minutes ?? 0) * 60 + (s.seconds ?? 0)) * 1000;
const startMs = (s: IntentSlots) => ((s.start_hours ?? 0) * 3600 + (s.start_minutes ?? 0) * 60 + (s.start_seconds ?? 0)) * 1000;
const label = (t: TimerRow) => (t.name ? `the ${t.name} timer` : `the ${spokenDuration(t.duration_ms).replace(/s( |$)/g, '$1')} timer`);
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);

export class Household {
  constructor(private readonly timers: TimerStore, private readonly lists: ListStore, private readonly hooks: HouseholdHooks) {}

  /** The answer to a timer or list request, carried out; undefined for any other intent. */
  answer(m: IntentMatch, siteId: string, nowMs: number): VoiceResponse | undefined {
    const s = m.slots;
    switch (m.intent) {
      case 'HassStartTimer': return this.start(siteId, s, nowMs);
      case 'HassCancelAllTimers': {
        const all = this.timers.onSite(siteId);
        for (const t of all) this.timers.remove(t.id);
        this.hooks.timersChanged();
        return answer(all.length === 0 ? 'There are no timers here.' : `Cancelled ${all.length === 1 ? 'the timer' : `all ${all.length} timers`}.`);
      }
      case 'HassCancelTimer': case 'HassPauseTimer': case 'HassUnpauseTimer': case 'HassIncreaseTimer': case 'HassDecreaseTimer': case 'HassTimerStatus':
        return this.withTimer(m, siteId, nowMs);
      case 'HassShoppingListAddItem': case 'HassListAddItem': return this.addItem(m.intent === 'HassListAddItem' ? (s.name ?? SHOPPING_LIST) : SHOPPING_LIST, s.item, nowMs);
      case 'HassShoppingListCompleteItem': case 'HassListCompleteItem': return this.completeItem(m.intent === 'HassListCompleteItem' ? (s.name ?? SHOPPING_LIST) : SHOPPING_LIST, s.item, nowMs);
      default: return undefined;
    }
  }

  private start(siteId: string, s: IntentSlots, nowMs: number): VoiceResponse {
    const ms = durationMs(s);
    if (ms <= 0) return answer('For how long? Say the timer with its length, like "set a timer for 5 minutes".', 'no-match');
    if (ms > MAX_TIMER_MS) return answer('Timers here run for up to a day.', 'refused');
    const t = this.timers.start(siteId, ms, s.name, nowMs);
    this.hooks.timersChanged();
    return answer(`${capital(t.name ? `${t.name} timer` : 'timer')} set for ${spokenDuration(ms)}.`);
  }

  /** The timer a request means: by name, by its starting length, or the only one there is. */
  private withTimer(m: IntentMatch, siteId: string, nowMs: number): VoiceResponse {
    const all = this.timers.onSite(siteId);
    if (all.length === 0) return answer('There are no timers here.', 'answered');
    const s = m.slots;
    const byStart = startMs(s);
    const chosen = s.name ? all.filter((t) => t.name === s.name) : byStart > 0 ? all.filter((t) => t.duration_ms === byStart) : all;
    if (m.intent === 'HassTimerStatus' && chosen.length > 1) {
      return answer(chosen.slice(0, 4).map((t) => `${capital(label(t))} has ${spokenDuration(TimerStore.leftMs(t, nowMs))} left${t.ends_at_ms === null ? ', paused' : ''}.`).join(' '), 'answered');
    }
    if (chosen.length !== 1) {
      const which = chosen.length === 0 ? all : chosen;
      return answer(`${chosen.length === 0 ? "I couldn't find that timer." : 'Which timer?'} There ${which.length === 1 ? 'is' : 'are'} ${which.map(label).join(' and ')}.`, chosen.length === 0 ? 'no-device' : 'asked');
    }
    const t = chosen[0]!;
    const left = () => spokenDuration(TimerStore.leftMs(this.timers.onSite(siteId).find((x) => x.id === t.id)!, nowMs));
    let reply: VoiceResponse;
    switch (m.intent) {
      case 'HassCancelTimer': this.timers.remove(t.id); reply = answer(`Cancelled ${label(t)}.`); break;
      case 'HassPauseTimer':
        if (t.ends_at_ms === null) return answer(`${capital(label(t))} is already paused.`, 'answered');
        this.timers.pause(t, nowMs); reply = answer(`Paused ${label(t)} with ${left()} left.`); break;
      case 'HassUnpauseTimer':
        if (t.ends_at_ms !== null) return answer(`${capital(label(t))} is running, with ${left()} left.`, 'answered');
        this.timers.unpause(t, nowMs); reply = answer(`Resumed ${label(t)}; ${left()} left.`); break;
      case 'HassIncreaseTimer': case 'HassDecreaseTimer': {
        const delta = durationMs(s);
        if (delta <= 0) return answer('By how much?', 'no-match');
        const up = m.intent === 'HassIncreaseTimer';
        this.timers.adjust(t, up ? delta : -delta, nowMs);
        reply = answer(`${up ? 'Added' : 'Took'} ${spokenDuration(delta)} ${up ? 'to' : 'off'} ${label(t)}; ${left()} left.`); break;
      }
      default: return answer(`${capital(label(t))} has ${spokenDuration(TimerStore.leftMs(t, nowMs))} left${t.ends_at_ms === null ? ', paused' : ''}.`, 'answered');
    }
    this.hooks.timersChanged();
    return reply;
  }

  private addItem(list: string, item: string | undefined, nowMs: number): VoiceResponse {
    if (!item?.trim()) return answer(`What should I add to the ${list}?`, 'no-match');
    this.lists.add(list, item.trim(), nowMs);
    this.hooks.listChanged(list);
    return answer(`Added ${item.trim()} to the ${list}.`);
  }

  private completeItem(list: string, item: string | undefined, nowMs: number): VoiceResponse {
    if (!item?.trim() || !this.lists.complete(list, item.trim(), nowMs)) return answer(`${item?.trim() ? capital(item.trim()) : 'That'} isn't on the ${list}.`, 'no-device');
    this.hooks.listChanged(list);
    return answer(`Checked ${item.trim()} off the ${list}.`);
  }
}
