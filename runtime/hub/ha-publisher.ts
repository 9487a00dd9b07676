/**
 * Keeps the hub's Home Assistant entities (ha-entities.ts) up to date: publishes their configs at start, the sensors'
 * state after every run and wake word, and carries out what HA sends: mute listening, pick the active wake word, run
 * the learning job. Mute and the active wake word are kept in SQLite, so a restart keeps what the household chose.
 * `unpublish` clears every config (an empty retained message), which removes the device from HA.
 */
import type { Logger } from '../log.js';
import type { HearthConfig } from '../config/config.js';
import { HubMeta, type Db } from '../store/db.js';
import { defectReport } from '../learning/report.js';
import { HEARTH_VERSION } from '../version.js';
import type { HubAudio } from './audio.js';
import type { HubMqtt } from './mqtt.js';
import type { TurnResult } from '../types/pipeline.js';
import type { Component } from './components.js';
import type { MessageHandler } from './mqtt.js';
import { ALL_WAKE_WORDS, haEntityConfigs, haEntityTopics, type HaEntityConfig, type HaEntityTopics, type HaState } from './ha-entities.js';

export interface HaPublisherSide {
  publish(topic: string, payload: string, retain: boolean): void;
  subscribe(filter: string): void;
  addHandler(h: MessageHandler): void;
  /** Saved choices (HubMeta), undefined before the first. */
  saved(key: string): string | undefined;
  save(key: string, value: string): void;
  turnsToday(): number;
  defectRatePct(): number | null;
  setMuted(muted: boolean): void;
  setActiveWakeWord(id: string | undefined): void;
  learn(): void;
}

/** The defect rate reads the whole log: recomputed at most this often (wall time, whatever clock the hub runs on). */
const DEFECT_RATE_EVERY_MS = 10 * 60_000;

export class HaPublisher implements Component, MessageHandler {
  readonly name = 'ha-entities';
  readonly id = 'ha-entities';
  private readonly topics: HaEntityTopics;
  private readonly configs: HaEntityConfig[];
  private state: HaState = { last_request: '', last_reply: '', last_wake_word: '', last_wake_score: null, turns_today: 0, defect_rate_pct: null };
  private defectAtMs = -Infinity;

  constructor(prefix: string, hubId: string, discoveryPrefix: string, private readonly wakeWords: readonly string[], version: string,
    private readonly side: HaPublisherSide, private readonly log: Logger) {
    this.topics = haEntityTopics(prefix);
    this.configs = haEntityConfigs(hubId, discoveryPrefix, this.topics, wakeWords, version);
  }

  start(): void {
    const s = this.side;
    for (const c of this.configs) s.publish(c.topic, JSON.stringify(c.config), true);
    const muted = s.saved('mute') === 'ON';
    const word = s.saved('wake-word') ?? ALL_WAKE_WORDS;
    this.applyWakeWord(this.wakeWords.includes(word) ? word : ALL_WAKE_WORDS);
    s.setMuted(muted);
    s.publish(this.topics.mute, muted ? 'ON' : 'OFF', true);
    this.refresh({});
    for (const t of [this.topics.muteSet, this.topics.wakeWordSet, this.topics.learnRun]) s.subscribe(t);
    s.addHandler(this);
  }

  stop(): void { /* configs stay: HA shows the hub unavailable through the status topic's last will */ }

  /** Clears every config: Home Assistant removes the hub's device and entities. */
  unpublish(): void {
    for (const c of this.configs) this.side.publish(c.topic, '', true);
  }

  get entityConfigs(): readonly HaEntityConfig[] {
    return this.configs;
  }

  handle(topic: string, payload: Buffer): boolean {
    const text = payload.toString('utf8').trim();
    if (topic === this.topics.muteSet) {
      if (text !== 'ON' && text !== 'OFF') { this.log.warn({ topic, code: 'ha-command-invalid' }, `${topic} takes ON or OFF`); return true; }
      this.side.save('mute', text);
      this.side.setMuted(text === 'ON');
      this.side.publish(this.topics.mute, text, true);
      this.log.info({ muted: text === 'ON' }, 'listening muted from Home Assistant');
    } else if (topic === this.topics.wakeWordSet) {
      if (text !== ALL_WAKE_WORDS && !this.wakeWords.includes(text)) { this.log.warn({ topic, code: 'ha-command-invalid' }, `${topic}: no wake word "${text.slice(0, 40)}" here`); return true; }
      this.side.save('wake-word', text);
      this.applyWakeWord(text);
    } else if (topic === this.topics.learnRun) {
      if (text === 'PRESS') this.side.learn();
    } else return false;
    return true;
  }

  private applyWakeWord(word: string): void {
    this.side.setActiveWakeWord(word === ALL_WAKE_WORDS ? undefined : word);
    this.side.publish(this.topics.wakeWord, word, true);
  }

  noteRun(r: TurnResult): void {
    this.refresh({ last_request: r.text, last_reply: r.response.speech });
  }

  noteWake(wakeWord: string, score: number): void {
    this.refresh({ last_wake_word: wakeWord, last_wake_score: Math.round(score * 1000) / 1000 });
  }

  private refresh(change: Partial<HaState>): void {
    const now = performance.now();
    let defect = this.state.defect_rate_pct;
    if (now - this.defectAtMs >= DEFECT_RATE_EVERY_MS) { defect = this.side.defectRatePct(); this.defectAtMs = now; }
    this.state = { ...this.state, ...change, turns_today: this.side.turnsToday(), defect_rate_pct: defect };
    this.side.publish(this.topics.state, JSON.stringify(this.state), true);
  }
}

/** The publisher as the hub runs it: its state from the hub's SQLite file, its commands to the hub's ears. */
export function hubHaPublisher(hub: { config: HearthConfig; mqtt: HubMqtt; db(): Db; audio(): HubAudio | undefined; learn(): void; nowMs(): number }, log: Logger): HaPublisher {
  const c = hub.config, db = hub.db;
  return new HaPublisher(`${c.mqtt.topicPrefix}/${c.hubId}`, c.hubId, c.adapters.homeassistant.discoveryPrefix, c.wake.words.map((w) => w.id), HEARTH_VERSION, {
    publish: (topic, payload, retain) => { hub.mqtt.publish(topic, payload, { qos: 1, retain }); }, subscribe: (f) => hub.mqtt.subscribe(f), addHandler: (h) => hub.mqtt.addApiHandler(h),
    saved: (key) => new HubMeta(db()).get(`ha-${key}`), save: (key, value) => new HubMeta(db()).set(`ha-${key}`, value),
    turnsToday: () => (db().prepare('SELECT COUNT(*) AS n FROM interactions WHERE started_at_ms >= ?').get(new Date(hub.nowMs()).setHours(0, 0, 0, 0)) as { n: number }).n,
    defectRatePct: () => { const r = defectReport(db(), c.learning); return r.turns === 0 ? null : Math.round((1000 * r.defects) / r.turns) / 10; },
    setMuted: (m) => hub.audio()?.setMuted(m), setActiveWakeWord: (id) => hub.audio()?.setActiveWakeWord(id), learn: () => hub.learn(),
  }, log);
}
