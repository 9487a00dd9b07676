/**
 * The composition root: builds the services, starts them in order, stops them in reverse.
 * Order: store -> broker (embedded, if no url) -> MQTT link -> registry and adapters -> demo home.
 */
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { HearthConfig } from './config/config.js';
import type { Logger } from './log.js';
import { EventBus } from './bus.js';
import { HearthError } from './types/errors.js';
import type { Device, DeviceOperation } from './types/device.js';
import type { DeviceCommand, TurnInput, TurnResult, TurnSource } from './types/pipeline.js';
import { HubMeta, openDatabase, type Db } from './store/db.js';
import { InteractionLog } from './store/interactions.js';
import { ConceptStore } from './store/concepts.js';
import { RewriteCache, rewriteSensitiveWords } from './rewrite/cache.js';
import { runLearning, type LearningSummary } from './learning/learn.js';
import { ReversalWatcher } from './learning/reversal.js';
import { ReplyWindows } from './learning/barge-in.js';
import { heldState } from './sync/bundle.js';
import { SyncScheduler, syncOnce } from './sync/client.js';
import { enrol, shareablePairs, upload } from './sync/upload.js';
import { EmbeddedBroker } from './mqtt/embedded.js';
import { MqttLink, type PublishResult } from './mqtt/link.js';
import { RateLimit } from './rate-limit.js';
import { Refusals } from './store/refusals.js';
import { DeviceRegistry } from '../device-adapters/registry.js';
import { createAdapters, type DeviceAdapter } from '../device-adapters/index.js';
import { Lexicon } from './nlu/lexicon.js';
import { Policy } from './policy/policy.js';
import { Session } from './dialogue/session.js';
import { Turn } from './pipeline/turn.js';
import type { PipelineEvents } from './pipeline/events.js';
import { turnRecord } from './pipeline/record.js';
import { DemoHome, withDemoSettings } from './demo/home.js';
import { HubAudio } from './hub-audio.js';
import { homeWordsOf } from './asr/home-words.js';
import { confirmGate, needsConfirmation } from './asr/uncertain.js';

export interface HubOptions {
  /** Database file; defaults to <dataDir>/hearth.db. */
  readonly databasePath?: string;
  readonly nowMs?: () => number;
}

/** The longest text the say topic takes: a request, not a document. */
export const MAX_SAY_CHARS = 1000;

export class Hub {
  readonly events: EventBus<PipelineEvents>;
  readonly registry: DeviceRegistry;
  private db: Db | undefined;
  private interactions: InteractionLog | undefined;
  private broker: EmbeddedBroker | undefined;
  private link: MqttLink | undefined;
  private adapters: DeviceAdapter[] = [];
  private policy: Policy | undefined;
  private concepts: ConceptStore | undefined;
  private rewrites: RewriteCache | undefined;
  private nightly: NodeJS.Timeout | undefined;
  private reversals: ReversalWatcher | undefined;
  private readonly replies = new ReplyWindows();
  private addFeedback: ((turnId: string, kind: string, atMs: number) => void) | undefined;
  private syncer: SyncScheduler | undefined;
  private demo: DemoHome | undefined;
  private audio: HubAudio | undefined;
  /** Who reads inbound MQTT messages, in order: satellites' audio (when on), then the bridge adapters. Built at start, not per message. */
  private handlers: readonly { readonly id: string; handle(t: string, p: Buffer): boolean }[] = [];
  private lexiconCache: { revision: number; lexicon: Lexicon } | undefined;
  private session = new Session(randomUUID());
  private refused: Refusals | undefined;
  /** Turns from the say topic, per siteId: at most 20 in 10 s each (a person says far fewer; a loop says far more). */
  private readonly sayLimit = new RateLimit(20, 10_000);
  private readonly nowMs: () => number;
  brokerUrl = '';

  readonly config: HearthConfig;
  private readonly demoOn: boolean;

  constructor(config: HearthConfig, private readonly log: Logger, private readonly options: HubOptions = {}) {
    this.demoOn = config.demo ?? !config.mqtt.url;
    // The demo home comes with the rooms and names a user would write in hearth.yaml; the user's own win.
    this.config = this.demoOn ? withDemoSettings(config) : config;
    config = this.config;
    this.nowMs = options.nowMs ?? Date.now;
    this.events = new EventBus<PipelineEvents>(log.child({ module: 'pipeline' }));
    this.registry = new DeviceRegistry(config, log.child({ module: 'registry' }), this.nowMs);
  }

  /** Whether the broker is connected now (commands go out) or away (they wait at most mqtt.commandTtlMs). */
  get mqttConnected(): boolean {
    return this.link?.connected ?? false;
  }

  get topicPrefix(): string {
    return `${this.config.mqtt.topicPrefix}/${this.config.hubId}`;
  }

  async start(): Promise<void> {
    const c = this.config;
    const dbPath = this.options.databasePath ?? join(c.dataDir, 'hearth.db');
    const opened = openDatabase(dbPath, this.nowMs);
    this.db = opened.db;
    if (opened.movedCorruptTo) {
      this.log.error({ code: 'store-corrupt', file: dbPath, movedTo: opened.movedCorruptTo },
        `the database ${dbPath} was corrupt; it was kept as ${opened.movedCorruptTo} and a new one was started (taught concepts and rewrites must be restored from it)`);
    }
    this.interactions = new InteractionLog(this.db, this.log.child({ module: 'store' }));
    this.refused = new Refusals(this.db, this.nowMs, (counts) => { this.link?.publish(`${this.topicPrefix}/refusals`, JSON.stringify(counts), { qos: 0, retain: true }); });
    this.concepts = new ConceptStore(this.db);
    if (c.rewrite.enabled) {
      this.rewrites = new RewriteCache(this.db, { ...c.rewrite, sensitiveWords: rewriteSensitiveWords(c.policy.sensitiveNames) }, this.nowMs);
      this.rewrites.globalExpiresAtMs = heldState(this.db)?.expiresAtMs; // a synced bundle past its expiry is not used
    }
    this.policy = new Policy(this.db, { pin: c.pin, ...c.policy }, this.nowMs);
    this.registry.events.on('device-added', (d) => this.policy!.noteDevice(d));
    const insertFeedback = this.db.prepare<[string, string, number]>('INSERT INTO feedback_events (turn_id, kind, at_ms) VALUES (?, ?, ?)');
    const addFeedback = (turnId: string, kind: string, atMs: number) => { insertFeedback.run(turnId, kind, atMs); };
    this.addFeedback = addFeedback;
    this.reversals = new ReversalWatcher(c.learning.reversalWindowMs, (turnId, atMs) => {
      addFeedback(turnId, 'reversal', atMs);
      this.log.info({ turnId, code: 'feedback-reversal' }, 'a device the hub switched was switched back by hand');
    });
    this.registry.events.on('state-changed', ({ snapshot, changed }) => {
      if ('power' in changed) this.reversals?.stateChanged(snapshot.device.id, changed['power'], this.nowMs());
    });
    if (!c.mqtt.url) {
      this.broker = new EmbeddedBroker(c.embeddedBroker.host, c.embeddedBroker.port, this.log.child({ module: 'broker' }));
      await this.broker.start();
    }
    this.brokerUrl = c.mqtt.url ?? this.broker!.url;
    this.link = new MqttLink({
      url: this.brokerUrl, clientId: c.mqtt.clientId ?? `hearth-${c.hubId}-${process.pid}`, statusTopic: `${this.topicPrefix}/status`,
      username: c.mqtt.username, password: c.mqtt.password, caFile: c.mqtt.caFile, certFile: c.mqtt.certFile, keyFile: c.mqtt.keyFile,
      rejectUnauthorized: c.mqtt.rejectUnauthorized, keepaliveS: c.mqtt.keepaliveS, reconnectMinMs: c.mqtt.reconnectMinMs,
      reconnectMaxMs: c.mqtt.reconnectMaxMs, offlineQueueMax: c.mqtt.offlineQueueMax,
    }, this.log.child({ module: 'mqtt' }));
    this.adapters = createAdapters(c.adapters, { hubId: c.hubId });
    const link = this.link;
    const ctx = {
      registry: this.registry, unsubscribe: (f: string) => link.unsubscribe(f),
      // A bridge never reads Hearth's own topics: a discovery config pointing at them would feed the hub its own output.
      subscribe: (f: string) => { if (this.ownTopic(f)) this.refuse('adapter-own-topic', f); else link.subscribe(f); },
      refuse: (code: string, topic: string, detail: string) => this.refuse(code, topic, detail),
      publish: (t: string, p: string) => { link.publish(t, p, { qos: 0 }); }, log: this.log.child({ module: 'adapters' }),
    };
    for (const a of this.adapters) a.start(ctx);
    this.handlers = this.adapters;
    link.subscribe(`${this.topicPrefix}/say`);
    link.subscribe(`${this.topicPrefix}/devices/get`);
    link.onMessage((topic, payload) => this.onMessage(topic, payload));
    await link.start();
    const demoOn = this.demoOn;
    if (demoOn) {
      this.demo = new DemoHome(this.brokerUrl, this.log.child({ module: 'demo' }));
      await this.demo.start();
    }
    if (c.audio.source !== 'none') {
      this.audio = new HubAudio(c, this.log.child({ module: 'audio' }), {
        prefix: this.topicPrefix, publish: (t, p) => { link.publish(t, p, { qos: 0 }); }, subscribe: (f) => link.subscribe(f),
        run: (siteId, before, heard) => {
          const base = { source: 'speech' as const, origin: siteId, atMs: this.nowMs(), before };
          if ('failure' in heard) { this.run({ ...base, text: '', failure: heard.failure }); return; }
          const t = heard.transcript;
          this.run({ ...base, text: t.hypotheses[0]!.text, ...(t.hypotheses.length > 1 ? { alternatives: t.hypotheses.slice(1).map((h) => h.text) } : {}),
            ...(needsConfirmation(t, confirmGate(this.config.asr, t.engine)) ? { confirm: true } : {}) });
        },
        wake: (siteId) => { this.wakeHeard(siteId); },
        replyFinished: (siteId) => { this.replies.finished(siteId, this.nowMs()); },
        homeWords: () => homeWordsOf(this.lexicon()),
        homeRevision: () => this.registry.revision,
      });
      await this.audio.start();
      this.handlers = [this.audio, ...this.adapters];
    }
    this.scheduleNightly();
    if (c.sync.url && this.rewrites) {
      const cache = this.rewrites;
      this.syncer = new SyncScheduler(async () => {
        if (c.sync.upload) await this.uploadLearned();
        const r = await syncOnce(this.db!, cache, c.sync, this.nowMs());
        if (r.kind === 'applied') this.log.info({ version: r.state.version }, 'global rewrites updated from the sync service');
      }, c.sync.intervalS, this.log.child({ module: 'sync' }));
      this.syncer.start();
    }
    this.log.info({ broker: this.brokerUrl, hubId: c.hubId, demo: demoOn, audio: c.audio.source }, 'hub started');
  }

  async stop(): Promise<void> {
    clearTimeout(this.nightly);
    this.syncer?.stop();
    await this.audio?.stop().catch(() => undefined);
    await this.demo?.stop().catch(() => undefined);
    await this.link?.stop().catch(() => undefined);
    await this.broker?.stop().catch(() => undefined);
    try { if (this.db) this.saveVocabulary(); } catch { /* a full disk: the report falls back to what it has */ }
    this.refused?.save();
    if (this.interactions && !this.interactions.flush()) {
      this.log.error({ code: 'store-write-failed', lost: this.interactions.pendingRows }, 'turns that the disk refused are lost at shutdown');
    }
    this.db?.close();
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === `${this.topicPrefix}/say`) {
      this.onSay(payload);
      return;
    }
    if (topic === `${this.topicPrefix}/devices/get`) {
      this.publishDevices(payload);
      return;
    }
    // A bridge's wildcard ("+/status/+") may match Hearth's own topics: those are never device messages.
    if (this.ownTopic(topic)) return;
    for (const h of this.handlers) {
      try {
        if (h.handle(topic, payload)) return;
      } catch (err) {
        const e = err instanceof HearthError ? err : new HearthError('adapter-failed', 'bug', (err as Error).message);
        this.refuse(e.code, topic, e.message); // counted every time, logged once per topic: garbage must not flood the log
        return;
      }
    }
  }

  private onSay(payload: Buffer): void {
    let text = payload.toString('utf8');
    let requestId: string | undefined;
    let area: string | undefined;
    let siteId: string | undefined;
    if (text.trimStart().startsWith('{')) {
      try {
        const obj = JSON.parse(text) as Record<string, unknown>;
        text = typeof obj['text'] === 'string' ? obj['text'] : '';
        requestId = typeof obj['requestId'] === 'string' ? obj['requestId'] : undefined;
        area = typeof obj['area'] === 'string' ? obj['area'] : undefined;
        siteId = typeof obj['siteId'] === 'string' ? obj['siteId'].slice(0, 100) : undefined;
        if (obj['newSession'] === true) this.newSession();
      } catch {
        this.log.warn({ topic: `${this.topicPrefix}/say` }, 'say payload is not valid JSON; ignored');
        return;
      }
    }
    if (text.trim() === '' || text.length > MAX_SAY_CHARS) { this.refuse(text.trim() === '' ? 'say-empty' : 'say-too-long', `${this.topicPrefix}/say`); return; }
    if (!this.sayLimit.allow(siteId ?? '', this.nowMs())) { this.refuse('say-rate-limited', siteId ?? '(no siteId)'); return; }
    this.say(text, { source: 'mqtt', ...(requestId ? { requestId } : {}), ...(area ? { area } : {}), ...(siteId ? { siteId } : {}) });
  }

  /** Answers `devices/get` with the registry as the hub sees it (what `hearth devices` prints). */
  private publishDevices(payload: Buffer): void {
    let requestId: string | null = null;
    try {
      const obj = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
      if (typeof obj['requestId'] === 'string') requestId = obj['requestId'];
    } catch { /* an empty or plain request is fine */ }
    const devices = this.registry.all().map(({ device: d, state }) => ({
      id: d.id, name: d.name, area: d.area ?? null, domain: d.domain, adapter: d.adapter, aliases: d.aliases,
      capabilities: Object.keys(d.capabilities), available: state.available, state: state.values,
    }));
    this.link?.publish(`${this.topicPrefix}/devices`, JSON.stringify({ requestId, devices }), { qos: 1 });
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
    const turn = new Turn(input, this.session, {
      lexicon: () => this.lexicon(), registry: this.registry, policy: this.policy!, concepts: this.concepts!, ...(this.rewrites ? { rewrites: this.rewrites } : {}), events: this.events,
      buildCommands: (d, op) => this.buildCommands(d, op), publish: (c, sensitive) => this.publishCommand(c, sensitive), commandTtlMs: this.config.mqtt.commandTtlMs,
      hubArea: this.config.area ?? undefined, followUpMs: this.config.dialogue.followUpMs, referenceMs: this.config.dialogue.referenceMs,
      nowMs: this.nowMs, log: this.log.child({ module: 'turn' }),
    });
    const result = turn.run();
    this.interactions?.record({ ...input, text: result.text }, result, performance.now() - t0); // result.text: the PIN redacted
    if (result.commands.length > 0) {
      const power = result.intent === 'HassTurnOn' ? 'on' : result.intent === 'HassTurnOff' ? 'off' : undefined;
      this.reversals?.commanded(result.turnId, result.commands, power, input.atMs, (id) => this.registry.get(id)?.state.values['power']);
    }
    this.link?.publish(`${this.topicPrefix}/reply`, result.response.speech, { qos: 1 });
    // A spoken request gets a spoken reply: the wake word while it plays is a barge-in on this turn.
    if (input.source === 'speech') {
      this.replies.replied(input.origin ?? 'local', result.turnId, result.response.speech, input.atMs);
      this.audio?.replying(input.origin ?? 'local', result.response.speech);
    }
    this.link?.publish(`${this.topicPrefix}/turn`, JSON.stringify(turnRecord(result)), { qos: 1 });
    return result;
  }

  /**
   * The wake word was heard on `siteId`. While a reply is being spoken there, that is a barge-in: the
   * person cut the hub off, and the turn it was answering is logged as a likely defect. Returns that turn.
   */
  wakeHeard(siteId = 'local'): string | undefined {
    const atMs = this.nowMs();
    const turnId = this.replies.wake(siteId, atMs);
    if (turnId) {
      this.addFeedback?.(turnId, 'barge-in', atMs);
      this.log.info({ turnId, siteId, code: 'feedback-barge-in' }, 'the wake word cut a reply off');
    }
    return turnId;
  }

  buildCommands(device: Device, op: DeviceOperation): DeviceCommand[] {
    const adapter = this.adapters.find((a) => a.id === device.adapter);
    if (!adapter) throw new HearthError('adapter-missing', 'config', `The ${device.adapter} adapter is disabled, so ${device.name} cannot be controlled. Enable adapters.${device.adapter}.`);
    const commands = adapter.commands(device, op);
    // A command to Hearth's own topics (a discovery config whose command topic is the hub's say topic) would loop.
    const own = commands.find((c) => this.ownTopic(c.topic));
    if (own) {
      this.refuse('command-own-topic', own.topic);
      throw new HearthError('command-own-topic', 'input', `The ${device.name}'s command topic ${own.topic} is one of Hearth's own topics, so I did not send it. Fix the device's configuration.`, { topic: own.topic });
    }
    return commands;
  }

  /** Topics under mqtt.topicPrefix (every Hearth hub's), or a filter that takes them all. */
  private ownTopic(t: string): boolean {
    const p = this.config.mqtt.topicPrefix;
    return t === p || t.startsWith(`${p}/`) || t === '#';
  }

  /** Hostile or broken input refused, counted by code (store/refusals.ts, `hearth report`); logged the first time per code and topic. */
  private refuse(code: string, topic: string, detail = ''): void {
    if (this.refused?.note(code, topic, detail)) this.log.warn({ code, topic, detail }, 'refused');
  }

  /** How many times input was refused, by code. */
  refusals(code: string): number {
    return this.refused?.count(code) ?? 0;
  }

  private publishCommand(c: DeviceCommand, sensitive: boolean): PublishResult {
    return this.link?.publish(c.topic, c.payload, { qos: c.qos, retain: c.retain, ttlMs: this.config.mqtt.commandTtlMs, noQueue: sensitive }) ?? 'dropped';
  }

  /** The learning job now: label the log, mine rephrases, store personal rewrites. */
  learn(): LearningSummary | undefined {
    if (!this.db || !this.rewrites) return undefined;
    this.saveVocabulary();
    const summary = runLearning(this.db, this.rewrites, this.config.learning);
    this.log.info({ ...summary }, 'learning job done');
    return summary;
  }

  /** The home's words, kept for the failure-point model (a misheard name sounds like one of them). */
  private saveVocabulary(): void {
    const words = new Set(this.lexicon().devices.flatMap((d) => [d.name, ...d.aliases, d.area ?? '']).join(' ').toLowerCase().split(/\s+/).filter(Boolean));
    for (const a of this.lexicon().areas) for (const w of a.toLowerCase().split(/\s+/)) words.add(w);
    new HubMeta(this.db!).set('vocabulary', JSON.stringify([...words]));
  }

  /** Runs the learning job at the configured local hour each night (timer unref'd: it never keeps the process up). */
  private scheduleNightly(): void {
    const hour = this.config.learning.nightlyHour;
    if (hour === null) return;
    const now = new Date(this.nowMs());
    const next = new Date(now);
    next.setHours(hour, 0, 0, 0);
    if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
    this.nightly = setTimeout(() => {
      try { this.learn(); } catch (err) { this.log.error({ code: 'learning-failed', err: (err as Error).message }, 'the learning job failed; it runs again tomorrow'); }
      this.scheduleNightly();
    }, next.getTime() - now.getTime());
    this.nightly.unref();
  }

  /** Sends what this hub learned to the sync service (only with sync.upload: the household's opt-in). */
  async uploadLearned(): Promise<number> {
    if (!this.config.sync.url || !this.config.sync.upload || !this.rewrites || !this.db) return 0;
    const lex = this.lexicon();
    const pairs = shareablePairs(this.rewrites, lex.devices.flatMap((d) => [d.name, ...d.aliases]), lex.areas);
    await enrol(this.db, this.config.sync.url, this.config.sync.enrollToken, this.config.sync.timeoutMs);
    return upload(this.db, this.config.sync.url, pairs, Date.now(), this.config.sync.timeoutMs); // the wall clock: the service checks it
  }

  get rewriteCache(): RewriteCache | undefined {
    return this.rewrites;
  }

  get interactionLog(): InteractionLog | undefined {
    return this.interactions;
  }
}
