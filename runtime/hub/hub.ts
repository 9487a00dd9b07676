/**
 * The composition root: the hub is an ordered list of components (components.ts), started in order and stopped in
 * reverse: store -> embedded broker (when no mqtt.url) -> MQTT link and bridge adapters -> demo home -> ears (audio)
 * -> nightly learning -> sync. Every request, typed or spoken, is one run (`run`), answered on the hub's API (api.ts).
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { HearthConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { EventBus } from '../bus.js';
import type { Device, DeviceOperation } from '../types/device.js';
import type { DeviceCommand, TurnInput, TurnResult, TurnSource } from '../types/pipeline.js';
import { HubMeta } from '../store/db.js';
import type { InteractionLog } from '../store/interactions.js';
import type { RewriteCache } from '../rewrite/cache.js';
import { runLearning, type LearningSummary } from '../learning/learn.js';
import { ReplyWindows } from '../learning/barge-in.js';
import { spokenTurn } from '../learning/voices/kept.js';
import { EmbeddedBroker } from '../mqtt/embedded.js';
import type { PublishResult } from '../mqtt/link.js';
import { RateLimit } from '../rate-limit.js';
import { DeviceRegistry } from '../../device-adapters/registry.js';
import { Lexicon } from '../nlu/lexicon.js';
import { Session } from '../dialogue/session.js';
import { Turn } from '../pipeline/turn.js';
import type { PipelineEvents } from '../pipeline/events.js';
import { turnRecord } from '../pipeline/record.js';
import { DemoHome, withDemoSettings } from '../demo/home.js';
import { homeWordsOf } from '../asr/home-words.js';
import { confirmGate, needsConfirmation } from '../asr/uncertain.js';
import { HubAudio } from './audio.js';
import { component, Components, type Component } from './components.js';
import { HubStore } from './store.js';
import { NightlyLearning, nightlyVoices } from './nightly.js';
import { HubSync } from './sync.js';
import { formatMessage, parseSay } from './api.js';
import { HubMqtt } from './mqtt.js';
import { Speaker } from './speaker.js';
import { HubWyoming } from './wyoming.js';
import { hubHaPublisher, type HaPublisher } from './ha-publisher.js';
import { HubTimers } from './timers.js';
import { HubCustomSentences } from './custom-sentences.js';

export { MAX_SAY_CHARS } from './api.js';
export interface HubOptions {
  /** Database file; defaults to <dataDir>/hearth.db. */
  readonly databasePath?: string;
  readonly nowMs?: () => number;
}

export class Hub {
  readonly events: EventBus<PipelineEvents>;
  readonly registry: DeviceRegistry;
  readonly config: HearthConfig;
  brokerUrl = '';
  private readonly store: HubStore;
  private readonly sync: HubSync;
  private readonly components: Components;
  private readonly mqtt: HubMqtt;
  private audio: HubAudio | undefined;
  readonly speaker: Speaker;
  readonly wyoming: HubWyoming;
  /** The hub's own entities in Home Assistant (homeassistant.publish). */
  readonly ha: HaPublisher;
  private readonly timers: HubTimers;
  private readonly custom: HubCustomSentences;
  private readonly replies = new ReplyWindows();
  private lexiconCache: { revision: number; lexicon: Lexicon } | undefined;
  private session = new Session(randomUUID());
  /** Turns from the say topic, per siteId: at most 20 in 10 s each (a person says far fewer; a loop says far more). */
  private readonly sayLimit = new RateLimit(20, 10_000);
  private readonly nowMs: () => number;
  private readonly demoOn: boolean;

  constructor(config: HearthConfig, private readonly log: Logger, private readonly options: HubOptions = {}) {
    this.demoOn = config.demo ?? !config.mqtt.url;
    // The demo home comes with the rooms and names a user would write in hearth.yaml; the user's own win.
    this.config = this.demoOn ? withDemoSettings(config) : config;
    this.nowMs = options.nowMs ?? Date.now;
    this.events = new EventBus<PipelineEvents>(log.child({ module: 'pipeline' }));
    this.registry = new DeviceRegistry(this.config, log.child({ module: 'registry' }), this.nowMs);
    this.components = new Components(log);
    this.store = new HubStore(this.config, options.databasePath ?? join(this.config.dataDir, 'hearth.db'), this.registry, this.nowMs, log, {
      refusalCounts: (counts) => { this.mqtt.publish(this.topics.refusals, formatMessage('refusals', counts), { qos: 0, retain: true }); },
      beforeClose: () => this.saveVocabulary(),
    });
    this.mqtt = new HubMqtt(this.config, this.registry, log, {
      brokerUrl: () => this.brokerUrl, onSay: (p) => this.onSay(p), refuse: (code, topic, detail) => this.refuse(code, topic, detail),
    });
    this.speaker = new Speaker(this.config, log.child({ module: 'speaker' }), {
      publish: (topic, payload) => { this.mqtt.publish(topic, payload, { qos: 0 }); },
      started: (siteId, text, audioMs) => { this.audio?.replying(siteId, text, audioMs); this.replies.extend(siteId, this.nowMs() + audioMs); },
      finished: (siteId) => { this.replyFinished(siteId); },
    });
    this.wyoming = new HubWyoming(this.config, log.child({ module: 'wyoming' }), {
      audio: () => this.audio, speaker: this.speaker, lexicon: () => this.lexicon(), run: (input) => this.run(input),
      played: (siteId) => { this.speaker.playFinished(siteId); }, nowMs: () => this.nowMs(),
    });
    const db = () => this.store.open.db;
    this.ha = hubHaPublisher({ config: this.config, mqtt: this.mqtt, db, audio: () => this.audio, learn: () => { this.learn(); }, nowMs: this.nowMs }, log.child({ module: 'ha-entities' }));
    this.timers = new HubTimers({
      topics: this.mqtt.topics, db, publish: (topic, payload, retain) => { this.mqtt.publish(topic, payload, { qos: 1, retain }); }, nowMs: this.nowMs,
      announce: (siteId, text) => { this.mqtt.publish(this.topics.reply, text, { qos: 1 }); this.speaker.say(siteId, text); },
    }, log.child({ module: 'timers' }));
    this.custom = new HubCustomSentences(this.config.nlu.customSentencesDir, log.child({ module: 'custom-sentences' }));
    this.sync = new HubSync(this.config.sync, () => this.store.open.db, () => this.rewriteCache, () => this.lexicon(), this.nowMs, log.child({ module: 'sync' }));
  }

  /** Whether the broker is connected now (commands go out) or away (they wait at most mqtt.commandTtlMs). */
  get mqttConnected(): boolean {
    return this.mqtt.connected;
  }

  get topicPrefix(): string {
    return `${this.config.mqtt.topicPrefix}/${this.config.hubId}`;
  }

  private get topics(): HubMqtt['topics'] {
    return this.mqtt.topics;
  }

  async start(): Promise<void> {
    const c = this.config;
    const list: Component[] = [this.store, this.custom];
    if (!c.mqtt.url) {
      const broker = new EmbeddedBroker(c.embeddedBroker.host, c.embeddedBroker.port, this.log.child({ module: 'broker' }));
      list.push(component('broker', async () => { await broker.start(); this.brokerUrl = broker.url; }, () => broker.stop()));
    }
    if (c.mqtt.url) this.brokerUrl = c.mqtt.url;
    list.push(this.mqtt);
    if (this.demoOn) {
      let demo: DemoHome | undefined;
      list.push(component('demo', () => { demo = new DemoHome(this.brokerUrl, this.log.child({ module: 'demo' })); return demo.start(); }, () => demo?.stop()));
    }
    list.push(this.speaker);
    if (c.audio.source !== 'none' || c.wyoming.enabled) list.push(component('audio', () => this.startAudio(), () => this.audio?.stop()));
    if (c.wyoming.enabled) list.push(this.wyoming);
    if (c.homeassistant.publish) list.push(this.ha);
    list.push(this.timers);
    list.push(new NightlyLearning(c.learning.nightlyHour, this.nowMs, () => { this.learn(); void nightlyVoices(c, this.store.open.voices, this.audio, this.log); }, this.log), this.sync);
    await this.components.start(list);
    this.log.info({ broker: this.brokerUrl, hubId: c.hubId, demo: this.demoOn, audio: c.audio.source, components: this.components.names }, 'hub started');
  }

  async stop(): Promise<void> {
    await this.components.stop();
  }

  /** The hub's ears: a listener per stream; what they hear runs as any request does. */
  private async startAudio(): Promise<void> {
    const mqtt = this.mqtt;
    this.audio = new HubAudio(this.config, this.log.child({ module: 'audio' }), {
      topics: this.topics, publish: (t, p) => { mqtt.publish(t, p, { qos: 0 }); }, subscribe: (f) => mqtt.subscribe(f),
      run: (siteId, before, heard, audio) => {
        const base = { source: 'speech' as const, origin: siteId, atMs: this.nowMs(), before };
        if ('failure' in heard) { this.run({ ...base, text: '', failure: heard.failure }); return; }
        const t = heard.transcript, confirm = needsConfirmation(t, confirmGate(this.config.asr, t.engine));
        const r = this.run({ ...base, text: t.hypotheses[0]!.text, ...(t.hypotheses.length > 1 ? { alternatives: t.hypotheses.slice(1).map((h) => h.text) } : {}), ...(confirm ? { confirm: true } : {}) });
        if (this.config.learning.keepVoiceTurns) this.store.open.voices.keep(spokenTurn(r, t, confirm, this.config.pin), audio());
      },
      wake: (siteId, e) => { this.wakeHeard(siteId); if (this.config.homeassistant.publish) this.ha.noteWake(e.wakeWordId, e.score); },
      replyFinished: (siteId) => { this.speaker.playFinished(siteId); this.replyFinished(siteId); },
      homeWords: () => ({ ...homeWordsOf(this.lexicon()), customPhrases: this.custom.sentences.jsgf(this.lexicon()) }),
      homeRevision: () => this.registry.revision * 1000 + this.custom.sentences.revision,
    });
    await this.audio.start();
    mqtt.addHandler(this.audio);
  }

  private onSay(payload: Buffer): void {
    const req = parseSay(payload);
    if (!req.ok) { this.refuse(req.code, this.topics.say); return; }
    const { text, requestId, area, siteId, newSession } = req.value;
    if (!this.sayLimit.allow(siteId ?? '', this.nowMs())) { this.refuse('say-rate-limited', siteId ?? '(no siteId)'); return; }
    if (newSession) this.newSession();
    this.say(text, { source: 'mqtt', ...(requestId ? { requestId } : {}), ...(area ? { area } : {}), ...(siteId ? { siteId } : {}) });
  }

  lexicon(): Lexicon {
    const rev = this.registry.revision;
    if (this.lexiconCache?.revision !== rev) {
      const devices = this.registry.all().map(({ device: d }) => ({ name: d.name, aliases: d.aliases, domain: d.domain, ...(d.deviceClass ? { deviceClass: d.deviceClass } : {}), ...(d.area ? { area: d.area } : {}) }));
      const areas = [...this.registry.areas(), ...(this.config.area ? [this.config.area] : [])];
      this.lexiconCache = { revision: rev, lexicon: new Lexicon(devices, areas, this.registry.floors()) };
    }
    return this.lexiconCache.lexicon;
  }

  newSession(): void {
    this.session = new Session(randomUUID());
  }

  /** Runs one text turn, publishes its commands and reply, and logs it. */
  say(text: string, opts: { source?: TurnSource; requestId?: string; area?: string; siteId?: string; alternatives?: readonly string[]; confirm?: boolean } = {}): TurnResult {
    return this.run({ text, source: opts.source ?? 'text', atMs: this.nowMs(), ...(opts.siteId ? { origin: opts.siteId } : {}), ...(opts.requestId ? { requestId: opts.requestId } : {}),
      ...(opts.area ? { area: opts.area } : {}), ...(opts.alternatives?.length ? { alternatives: opts.alternatives } : {}), ...(opts.confirm ? { confirm: true } : {}) });
  }

  /**
   * One run, whatever its source (typed, MQTT, speech, or speech that never became words): the stages, then one turn
   * record in SQLite and on `<prefix>/turn`, the reply on `<prefix>/reply`.
   */
  run(input: TurnInput): TurnResult {
    const t0 = performance.now();
    const s = this.store.open;
    const turn = new Turn(input, this.session, {
      lexicon: () => this.lexicon(), registry: this.registry, policy: s.policy, concepts: s.concepts, ...(s.rewrites ? { rewrites: s.rewrites } : {}), events: this.events,
      ...(this.timers.household ? { household: this.timers.household } : {}), custom: this.custom.sentences,
      buildCommands: (d, op) => this.buildCommands(d, op), publish: (c, sensitive) => this.publishCommand(c, sensitive), commandTtlMs: this.config.mqtt.commandTtlMs,
      hubArea: this.config.area ?? undefined, followUpMs: this.config.dialogue.followUpMs, referenceMs: this.config.dialogue.referenceMs,
      nowMs: this.nowMs, log: this.log.child({ module: 'turn' }),
    });
    const result = turn.run();
    s.interactions.record({ ...input, text: result.text }, result, performance.now() - t0); // result.text: the PIN redacted
    if (result.commands.length > 0) {
      const power = result.intent === 'HassTurnOn' ? 'on' : result.intent === 'HassTurnOff' ? 'off' : undefined;
      s.reversals.commanded(result.turnId, result.commands, power, input.atMs, (id) => this.registry.get(id)?.state.values['power']);
    }
    // Nothing to say (a false wake the ASR caught) is said nowhere; the turn is still recorded.
    if (result.response.speech) this.mqtt.publish(this.topics.reply, result.response.speech, { qos: 1 });
    // A spoken request gets a spoken reply: the wake word while it plays is a barge-in on this turn.
    if (input.source === 'speech' && result.response.speech) {
      this.replies.replied(input.origin ?? 'local', result.turnId, result.response.speech, input.atMs);
      this.audio?.replying(input.origin ?? 'local', result.response.speech);
      this.speaker.say(input.origin ?? 'local', result.response.speech);
    }
    this.mqtt.publish(this.topics.turn, formatMessage('turn', turnRecord(result)), { qos: 1 });
    if (this.config.homeassistant.publish) this.ha.noteRun(result);
    return result;
  }

  /** The reply on `siteId` finished playing: a wake word there is no longer a barge-in, nor the hub's own voice. */
  private replyFinished(siteId: string): void {
    this.replies.finished(siteId, this.nowMs());
    this.audio?.replyEnded(siteId);
  }

  /**
   * The wake word was heard on `siteId`. While a reply is being spoken there, that is a barge-in: the
   * person cut the hub off, and the turn it was answering is logged as a likely defect. Returns that turn.
   */
  wakeHeard(siteId = 'local'): string | undefined {
    const atMs = this.nowMs();
    const turnId = this.replies.wake(siteId, atMs);
    if (turnId) {
      this.store.open.feedback(turnId, 'barge-in', atMs);
      this.log.info({ turnId, siteId, code: 'feedback-barge-in' }, 'the wake word cut a reply off');
    }
    return turnId;
  }

  buildCommands(device: Device, op: DeviceOperation): DeviceCommand[] {
    return this.mqtt.buildCommands(device, op);
  }

  /** Hostile or broken input refused, counted by code (store/refusals.ts, `hearth report`); logged the first time per code and topic. */
  private refuse(code: string, topic: string, detail = ''): void {
    if (this.store.isOpen && this.store.open.refused.note(code, topic, detail)) this.log.warn({ code, topic, detail }, 'refused');
  }

  /** How many times input was refused, by code. */
  refusals(code: string): number {
    return this.store.isOpen ? this.store.open.refused.count(code) : 0;
  }

  private publishCommand(c: DeviceCommand, sensitive: boolean): PublishResult {
    return this.mqtt.publish(c.topic, c.payload, { qos: c.qos, retain: c.retain, ttlMs: this.config.mqtt.commandTtlMs, noQueue: sensitive });
  }

  /** The learning job now: label the log, mine rephrases, store personal rewrites. */
  learn(): LearningSummary | undefined {
    const s = this.store.isOpen ? this.store.open : undefined;
    if (!s?.rewrites) return undefined;
    this.saveVocabulary();
    const summary = runLearning(s.db, s.rewrites, this.config.learning);
    this.log.info({ ...summary }, 'learning job done');
    return summary;
  }

  /** The home's words, kept for the failure-point model (a misheard name sounds like one of them). */
  private saveVocabulary(): void {
    const words = new Set(this.lexicon().devices.flatMap((d) => [d.name, ...d.aliases, d.area ?? '']).join(' ').toLowerCase().split(/\s+/).filter(Boolean));
    for (const a of this.lexicon().areas) for (const w of a.toLowerCase().split(/\s+/)) words.add(w);
    new HubMeta(this.store.open.db).set('vocabulary', JSON.stringify([...words]));
  }

  /** Sends what this hub learned to the sync service (only with sync.upload: the household's opt-in). */
  uploadLearned(): Promise<number> {
    return this.sync.uploadLearned();
  }

  get rewriteCache(): RewriteCache | undefined {
    return this.store.isOpen ? this.store.open.rewrites : undefined;
  }

  get interactionLog(): InteractionLog | undefined {
    return this.store.isOpen ? this.store.open.interactions : undefined;
  }
}
