/**
 * The hub's ears: one listener per audio stream (the microphone, or each Hermes satellite), started
 * after MQTT so satellites' frames have somewhere to go. Wake events and utterance boundaries are
 * published beside the turns (`<prefix>/wake`, `<prefix>/utterance`); an utterance then goes to the
 * ASR stage, which until an engine is configured ends the turn with `asr-engine-missing`. A
 * microphone that cannot start is logged with what to install, and the hub goes on with text.
 */
import type { HearthConfig } from './config/config.js';
import type { Logger } from './log.js';
import { HermesAudio } from './audio/hermes.js';
import { MicrophoneSource } from './audio/sources.js';
import { createListener, type Listener } from './pipeline/listen.js';
import { HearthError } from './types/errors.js';

export interface AudioOutlets {
  readonly prefix: string;
  publish(topic: string, payload: string): void;
  subscribe(filter: string): void;
}

export class HubAudio {
  readonly id = 'hermes-audio';
  private readonly listeners = new Map<string, Listener>();
  private hermes: HermesAudio | undefined;
  private mic: MicrophoneSource | undefined;

  constructor(private readonly config: HearthConfig, private readonly log: Logger, private readonly out: AudioOutlets) {}

  async start(): Promise<void> {
    const a = this.config.audio;
    if (a.source === 'hermes') {
      this.hermes = new HermesAudio(a.hermesSiteIds);
      for (const site of a.hermesSiteIds) this.listeners.set(site, await this.listener(site));
      for (const t of this.hermes.topics()) this.out.subscribe(t);
      if (a.hermesSiteIds.length === 0) this.log.warn({ code: 'audio-no-sites' }, 'audio.source is hermes but audio.hermesSiteIds is empty: no satellite is heard');
    } else if (a.source === 'microphone') {
      const listener = await this.listener('local');
      this.listeners.set('local', listener);
      this.mic = new MicrophoneSource(a.recorder, a.device);
      try {
        await this.mic.start((frames) => listener.push(frames));
      } catch (err) {
        const e = err instanceof HearthError ? err : new HearthError('audio-capture-failed', 'environment', (err as Error).message);
        this.log.error({ code: e.code }, `${e.message} The hub keeps running for text requests.`);
      }
    }
  }

  /** Routes a Hermes audioFrame message; true when it was one (bad ones are thrown to the hub's once-per-topic log). */
  handle(topic: string, payload: Buffer): boolean {
    const r = this.hermes?.handle(topic, payload);
    if (!r) return false;
    this.listeners.get(r.siteId)?.push(r.frames);
    return true;
  }

  async stop(): Promise<void> {
    await this.mic?.stop();
    for (const l of this.listeners.values()) await l.stop();
  }

  private async listener(siteId: string): Promise<Listener> {
    const l = await createListener(this.config, this.log.child({ module: 'listen', siteId }));
    const p = this.out.prefix;
    l.events.on('wake', (e) => this.out.publish(`${p}/wake`, JSON.stringify({ siteId, wakeWord: e.wakeWordId, score: e.score, atMs: e.atMs })));
    l.events.on('dropped', (e) => this.log.warn({ siteId, dropped: e.frames, total: e.totalDropped, code: 'audio-frames-dropped' }, 'the wake models fell behind; old audio was dropped'));
    l.events.on('error', (e) => this.log.error({ siteId, code: e.code }, e.message));
    l.events.on('utterance', (u) => {
      this.out.publish(`${p}/utterance`, JSON.stringify({ siteId, wakeWord: u.wake.wakeWordId, startMs: u.startMs, endMs: u.endMs, endReason: u.endReason }));
      // The ASR stage: no engine yet (the ASR issue adds them behind this seam).
      const speech = "I heard you, but speech recognition isn't set up on this hub yet.";
      this.out.publish(`${p}/turn`, JSON.stringify({ source: 'audio', siteId, text: null, intent: null, speech, outcome: 'error', errorCode: 'asr-engine-missing' }));
      this.out.publish(`${p}/reply`, speech);
    });
    return l;
  }
}
