/**
 * The hub's ears: one listener per audio stream (the microphone, or each Hermes satellite), started
 * after MQTT so satellites' frames have somewhere to go. Wake events and utterance boundaries are
 * published beside the turns (`<prefix>/wake`, `<prefix>/utterance`); the utterance's frames stream
 * into the ASR engine as they arrive (partials on `<prefix>/asr/partial`), and the final text runs
 * through the turn like typed text. Without an engine, or a microphone, the hub says what is missing
 * and goes on with text.
 */
import { holdsSecret } from '../policy/secret.js';
import type { HearthConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { HermesAudio } from '../audio/hermes.js';
import { MicrophoneSource } from '../audio/sources.js';
import { createListener, type Listener } from '../pipeline/listen.js';
import { HearthError } from '../types/errors.js';
import type { AsrEngine, AsrStream, HomeWords, StreamOptions, Transcript } from '../asr/engine.js';
import { recogniseUtterances } from '../pipeline/recognise.js';
import { asrSettingsOf } from '../asr/engines.js';
import { replyDurationMs } from '../learning/barge-in.js';
import type { StageTrace } from '../types/pipeline.js';
import type { AudioFrame, Utterance, WakeEvent } from '../types/audio.js';
import { formatMessage, type hubTopics } from './api.js';
import { PLAY_FINISHED } from './speaker.js';
import { WakeCheck, type WakeVerdict } from '../pipeline/wake-check.js';
import { createAdaptedAsr } from '../learning/voices/versions.js';

/** Wall-clock moments of one utterance on one site, for the stage traces. */
interface Clock { wakeMs: number; startMs: number; endMs: number }

/** The wake, vad and asr stages of a spoken run, as the turn record keeps them. */
export function audioStages(siteId: string, wake: WakeEvent, u: Utterance, t: Transcript | undefined, at: Clock, doneMs: number, errorCode?: string, check?: WakeVerdict): StageTrace[] {
  const top = t?.hypotheses[0];
  return [
    { stage: 'wake', input: { siteId }, output: { wakeWord: wake.wakeWordId, score: wake.score, streamMs: wake.atMs, ...(check ? { asrCheck: check.confidence } : {}) },
      startMs: at.wakeMs, endMs: at.wakeMs, durationMs: 0, confidence: wake.score, ...(check && !check.confirmed ? { errorCode: 'wake-unconfirmed' } : {}) },
    { stage: 'vad', input: { siteId }, output: { streamStartMs: u.startMs, streamEndMs: u.endMs, durationMs: u.endMs - u.startMs, endReason: u.endReason },
      startMs: at.startMs, endMs: at.endMs, durationMs: at.endMs - at.startMs, ...(u.endReason === 'no-speech' ? { errorCode: 'vad-no-speech' } : {}) },
    { stage: 'asr', input: { engine: t?.engine ?? null, audioMs: u.endMs - u.startMs },
      output: t ? { text: t.rejected || !top ? null : top.text, rejected: t.rejected, hypotheses: t.hypotheses, latencyMs: t.latencyMs,
        realTimeFactor: t.computeStats.realTimeFactor, computeSkipped: t.computeStats.skippedShare ?? 0 } : null,
      startMs: at.startMs, endMs: doneMs, durationMs: doneMs - at.startMs, ...(top && !t!.rejected ? { confidence: top.confidence } : {}), ...(errorCode ? { errorCode } : {}) },
  ];
}

/** The utterance's audio in one piece (pre-roll included), for keeping (learning.keepVoiceTurns). */
export function utteranceSamples(u: Utterance): Int16Array {
  const all = new Int16Array(u.frames.reduce((n, f) => n + f.samples.length, 0));
  let at = 0;
  for (const f of u.frames) { all.set(f.samples, at); at += f.samples.length; }
  return all;
}

/** Whether a reply says one of the wake words (the distinctive word of each: "hey_jarvis" -> "jarvis"). */
export function mentionsWakeWord(speech: string, wakeIds: readonly string[]): boolean {
  const words = new Set(speech.toLowerCase().split(/[^a-z]+/));
  return wakeIds.some((id) => id.toLowerCase().split('_').filter((w) => w !== 'hey' && w !== 'ok').some((w) => words.has(w)));
}

/** Hermes: a satellite's text-to-speech says it finished speaking ({"id", "siteId"}). */
const SAY_FINISHED = 'hermes/tts/sayFinished';
/** Audio still reaching the microphone after the speaker stops (buffers, the room's echo). */
const ECHO_TAIL_MS = 300;

export interface AudioOutlets {
  readonly topics: ReturnType<typeof hubTopics>;
  publish(topic: string, payload: string): void;
  subscribe(filter: string): void;
  /**
   * Runs the request through the same run as typed text: the wake, vad and asr stages already traced (`before`), then
   * the words heard, or why there are none.
   */
  run(siteId: string, before: readonly StageTrace[], heard: { transcript: Transcript } | { failure: { code: string; speech: string } }, audio: () => Int16Array): void;
  /** A wake word was heard on the site (a barge-in when a reply is playing there). */
  wake(siteId: string, e: WakeEvent): void;
  /** The site's speaker reports the reply finished (Hermes hermes/tts/sayFinished). */
  replyFinished(siteId: string): void;
  /** The home's words for the grammar, and a number that changes when they do. */
  homeWords(): HomeWords;
  homeRevision(): number;
}

/** A site opened by a client (a Wyoming satellite) hears what happens on it. */
export interface SiteObserver {
  detection(wakeWord: string): void;
  transcript(text: string): void;
}

export class HubAudio {
  readonly id = 'hermes-audio';
  private readonly listeners = new Map<string, Listener>();
  private readonly observers = new Map<string, SiteObserver>();
  private hermes: HermesAudio | undefined;
  private mic: MicrophoneSource | undefined;
  private asr: AsrEngine | undefined;
  private homeRevision = -1;
  /** Listening muted (Home Assistant's switch): frames are dropped unheard. */
  private muted = false;
  private activeWakeWord: string | undefined;
  private readonly wakeCheck: WakeCheck;

  constructor(private readonly config: HearthConfig, private readonly log: Logger, private readonly out: AudioOutlets) {
    this.wakeCheck = new WakeCheck(() => this.asr, config.wake, log);
  }

  /** The ASR engine, with the household's voice adaptation when one is active; again after a new one is kept. */
  async startAsr(): Promise<void> {
    const old = this.asr;
    if (this.config.asr.engine === 'none') return;
    try {
      this.asr = createAdaptedAsr(this.config.asr.engine, this.out.homeWords(), asrSettingsOf(this.config), this.config.dataDir, this.log);
      this.homeRevision = this.out.homeRevision();
    } catch (err) {
      this.logFailure(err, 'asr-engine-failed', 'Wake words still work; requests are answered with what is missing.');
    }
    await old?.stop(); // utterances already on it finish there
  }

  async start(): Promise<void> {
    const a = this.config.audio;
    await this.startAsr();
    // A missing or corrupt model, or a microphone that cannot start, costs the listening, never the hub.
    try {
      if (a.source === 'hermes') {
        this.hermes = new HermesAudio(a.hermesSiteIds);
        for (const site of a.hermesSiteIds) this.listeners.set(site, await this.listener(site));
        for (const t of this.hermes.topics()) this.out.subscribe(t);
        this.out.subscribe(SAY_FINISHED);
        for (const site of a.hermesSiteIds) this.out.subscribe(`hermes/audioServer/${site}/playFinished`);
        if (a.hermesSiteIds.length === 0) this.log.warn({ code: 'audio-no-sites' }, 'audio.source is hermes but audio.hermesSiteIds is empty: no satellite is heard');
      } else if (a.source === 'microphone') {
        const listener = await this.listener('local');
        this.listeners.set('local', listener);
        this.mic = new MicrophoneSource(a.recorder, a.device);
        await this.mic.start((frames) => listener.push(this.heard(frames)));
      }
    } catch (err) {
      this.hermes = undefined;
      this.logFailure(err, 'audio-start-failed', 'The hub keeps running for text requests.');
    }
  }

  /** A stream from a client (a Wyoming satellite) joins as its own site; its frames run as any satellite's. */
  async openSite(siteId: string, observer: SiteObserver): Promise<{ push(frames: readonly AudioFrame[]): void; trigger(wakeWord: string): void; close(): Promise<void> }> {
    const l = await this.listener(siteId);
    this.listeners.set(siteId, l);
    this.observers.set(siteId, observer);
    return {
      push: (frames) => l.push(this.heard(frames)),
      trigger: (wakeWord) => l.trigger(wakeWord),
      close: async () => { this.listeners.delete(siteId); this.observers.delete(siteId); await l.stop(); },
    };
  }

  /**
   * While muted the stages hear silence in place of the audio: its content is gone at the edge, and the models see an
   * unbroken stream, so the wake word works the moment listening is unmuted (a gap would restart their warm-up).
   */
  private heard(frames: readonly AudioFrame[]): readonly AudioFrame[] {
    return this.muted ? frames.map((f) => ({ startMs: f.startMs, samples: new Int16Array(f.samples.length) })) : frames;
  }

  /** Mutes or unmutes every site: while muted no audio is heard, so nothing wakes the hub. */
  setMuted(muted: boolean): void {
    this.muted = muted;
  }

  /** Only this wake word wakes the hub (undefined: every configured one). */
  setActiveWakeWord(id: string | undefined): void {
    this.activeWakeWord = id;
    for (const l of this.listeners.values()) l.setActiveWakeWord(id);
  }

  /** Speech to text with the home's grammar, outside any run (Wyoming's transcribe); undefined when not understood. */
  async transcribe(frames: readonly AudioFrame[]): Promise<string | undefined> {
    const stream = this.asrStream({});
    if (!stream) throw new HearthError('asr-engine-missing', 'config', 'No ASR engine is running on this hub (asr.engine, and its packages: docs/results/asr.md).');
    // Not one push at a time: the partials are of no use here, and an engine that makes them from whole decodes
    // (moonshine) would make the caller wait for each; engines chain their own work, and a failure surfaces in finish().
    for (const f of frames) stream.push(f).catch(() => undefined);
    const t = await stream.finish();
    return t.rejected ? undefined : t.hypotheses[0]?.text;
  }

  /** A wake-word detector on a fresh stream, for the words named (all configured ones when none are). */
  async wakeDetector(names: readonly string[] | undefined): Promise<{ push(frames: readonly AudioFrame[]): Promise<string[]>; stop(): Promise<void> }> {
    const words = names?.length ? this.config.wake.words.filter((w) => names.includes(w.id)) : this.config.wake.words;
    if (words.length === 0) throw new HearthError('wake-word-unknown', 'input', `No wake word here is called ${names!.join(', ')}; this hub listens for ${this.config.wake.words.map((w) => w.id).join(', ')}.`);
    const l = await createListener({ ...this.config, wake: { ...this.config.wake, words } }, this.log.child({ module: 'wyoming-wake' }));
    const heard: string[] = [];
    l.events.on('wake', (e) => heard.push(e.wakeWordId));
    return {
      push: async (frames) => { await l.offer(frames); await l.drain(); return heard.splice(0); },
      stop: () => l.stop(),
    };
  }

  private logFailure(err: unknown, code: string, consequence: string): void {
    const e = err instanceof HearthError ? err : new HearthError(code, 'environment', (err as Error).message);
    this.log.error({ code: e.code }, `${e.message} ${consequence}`);
  }

  /** Routes a Hermes audioFrame message; true when it was one (bad ones are thrown to the hub's once-per-topic log). */
  handle(topic: string, payload: Buffer): boolean {
    if (topic === SAY_FINISHED && this.hermes) {
      const siteId = (JSON.parse(payload.toString('utf8')) as { siteId?: unknown }).siteId;
      if (typeof siteId === 'string' && this.listeners.has(siteId)) this.out.replyFinished(siteId);
      return true;
    }
    const played = PLAY_FINISHED.exec(topic);
    if (played && this.hermes) {
      if (this.listeners.has(played[1]!)) this.out.replyFinished(played[1]!);
      return true;
    }
    const r = this.hermes?.handle(topic, payload);
    if (!r) return false;
    this.listeners.get(r.siteId)?.push(this.heard(r.frames));
    return true;
  }

  async stop(): Promise<void> {
    await this.mic?.stop();
    for (const l of this.listeners.values()) await l.stop();
    await this.asr?.stop();
  }

  /**
   * The hub is answering on `siteId`. Self-playback suppression: when the reply itself says a wake
   * word ("Hey Jarvis is my name"), the listener ignores that word until the reply has been spoken,
   * so the hub's own voice cannot wake it. Other replies leave the wake word live, so a person can
   * still cut the hub off (a barge-in, logged as feedback on the turn).
   */
  replying(siteId: string, speech: string, audioMs = replyDurationMs(speech)): void {
    const listener = this.listeners.get(siteId);
    if (!listener || !mentionsWakeWord(speech, this.config.wake.words.map((w) => w.id))) return;
    listener.suppressUntil(listener.streamMs + audioMs + ECHO_TAIL_MS);
  }

  /** The site's speaker finished: the wake word is live again there. */
  replyEnded(siteId: string): void {
    const listener = this.listeners.get(siteId);
    listener?.suppressUntil(listener.streamMs + ECHO_TAIL_MS);
  }

  /** A stream on the ASR engine, the grammar brought up to date with the home first. */
  private asrStream(o: StreamOptions): AsrStream | undefined {
    if (!this.asr) return undefined;
    const rev = this.out.homeRevision();
    if (rev !== this.homeRevision) { this.asr.setHome(this.out.homeWords()); this.homeRevision = rev; }
    return this.asr.start(o);
  }

  /** The ASR stage's end: the words go through the run like typed text; nothing heard, or no engine, ends the run plainly. */
  private recognised(siteId: string, u: Utterance, t: Transcript | undefined, err: Error | undefined, at: Clock, check: WakeVerdict | undefined): void {
    // A wake word the ASR did not confirm was a false wake: what followed is not for the hub, and it says nothing.
    const failure = check && !check.confirmed ? { code: 'wake-unconfirmed', speech: '' }
      : err ? { code: 'asr-failed', speech: 'Sorry, something went wrong with the speech recogniser. It has been logged.' }
      : !t ? { code: 'asr-engine-missing', speech: "I heard you, but speech recognition isn't set up on this hub yet." }
      : u.endReason === 'no-speech' ? { code: 'vad-no-speech', speech: "Sorry, I didn't catch that." }
      : t.rejected || t.hypotheses.length === 0 ? { code: 'asr-rejected', speech: "Sorry, I didn't catch that." } : undefined;
    if (err) this.log.error({ siteId, code: 'asr-failed' }, err.message);
    this.observers.get(siteId)?.transcript(failure ? '' : t!.hypotheses[0]!.text);
    const stages = audioStages(siteId, u.wake, u, t, at, Date.now(), failure && failure.code !== 'vad-no-speech' && failure.code !== 'wake-unconfirmed' ? failure.code : undefined, check);
    this.out.run(siteId, stages, failure ? { failure } : { transcript: t! }, () => utteranceSamples(u));
  }

  private async listener(siteId: string): Promise<Listener> {
    const l = await createListener(this.config, this.log.child({ module: 'listen', siteId }));
    l.setActiveWakeWord(this.activeWakeWord);
    const topics = this.out.topics;
    // Wall-clock moments of the utterance in progress (and of the one being decoded: an utterance closes before its transcript).
    let now: Clock = { wakeMs: 0, startMs: 0, endMs: 0 };
    const closed = new Map<Utterance, Clock>();
    l.events.on('utterance-start', () => { now = { ...now, startMs: Date.now() }; });
    l.events.on('utterance', (u) => { closed.set(u, { ...now, endMs: Date.now() }); });
    l.events.on('wake', (e) => {
      this.wakeCheck.heard(e, (leadMs) => l.recentSpeech(leadMs));
      now = { ...now, wakeMs: Date.now() };
      this.out.publish(topics.wake, formatMessage('wake', { siteId, wakeWord: e.wakeWordId, score: e.score, atMs: e.atMs }));
      this.out.wake(siteId, e);
      this.observers.get(siteId)?.detection(e.wakeWordId);
    });
    l.events.on('dropped', (e) => this.log.warn({ siteId, dropped: e.frames, total: e.totalDropped, code: 'audio-frames-dropped' }, 'the wake models fell behind; old audio was dropped'));
    l.events.on('error', (e) => this.log.error({ siteId, code: e.code }, e.message));
    recogniseUtterances(l, (o) => this.asrStream(o), {
      // A PIN being said is not published while it is said either.
      partial: (text) => { if (this.config.asr.publishPartials && !holdsSecret(text, this.config.pin)) this.out.publish(topics.asrPartial, formatMessage('asrPartial', { siteId, text })); },
      done: (u, t, err) => {
        const at = closed.get(u) ?? { ...now, endMs: Date.now() };
        closed.delete(u);
        void this.wakeCheck.verdict(u.wake).then((check) => this.recognised(siteId, u, t, err, at, check));
      },
    });
    // Published at the end-of-speech decision itself, before the final decode (the bench measures from here).
    l.events.on('utterance', (u) => this.out.publish(topics.utterance, formatMessage('utterance', { siteId, wakeWord: u.wake.wakeWordId, startMs: u.startMs, endMs: u.endMs, endReason: u.endReason })));
    return l;
  }
}
