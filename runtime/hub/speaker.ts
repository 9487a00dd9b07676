/**
 * Spoken replies: the reply to a spoken request is said where it was heard.
 * - a client that registered a sink for its site (a Wyoming satellite) gets the audio as it is made, and says `played`;
 * - a Hermes satellite gets one WAV on hermes/audioServer/<siteId>/playBytes/<id> and answers playFinished;
 * - the hub's own microphone site ('local') plays on the hub's speaker through aplay (tts/player.ts).
 * Playback start (with the audio's real length) and end are reported, so self-playback suppression and barge-in
 * follow the real speaker, not an estimate. A missing synthesizer or player costs the voice, never the reply text.
 */
import { randomUUID } from 'node:crypto';
import type { HearthConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { encodeWav } from '../audio/wav.js';
import { TtsEngine, type TtsChunk } from '../tts/engine.js';
import { playWithAplay } from '../tts/player.js';
import { HearthError, asHearthError } from '../types/errors.js';
import type { Component } from './components.js';

/** Plays a reply on one site; resolves when it has been played (or handed over for good). */
export type ReplySink = (text: string, audio: AsyncIterable<TtsChunk>) => Promise<void>;

export interface SpeakerHooks {
  publish(topic: string, payload: Buffer): void;
  /** The reply `text` is playing on the site; `audioMs` of its audio so far. */
  started(siteId: string, text: string, audioMs: number): void;
  finished(siteId: string): void;
}

/** A satellite that never says it played the reply still ends it: after the audio's length and this much more. */
const PLAY_GRACE_MS = 2000;

export const playBytesTopic = (siteId: string, id: string) => `hermes/audioServer/${siteId}/playBytes/${id}`;
export const PLAY_FINISHED = /^hermes\/audioServer\/([A-Za-z0-9_-]+)\/playFinished$/;

export class Speaker implements Component {
  readonly name = 'speaker';
  private tts: TtsEngine | undefined;
  private readonly sinks = new Map<string, ReplySink>();
  /** Per site, the reply waiting for its satellite to say it was played. */
  private readonly waiting = new Map<string, () => void>();

  constructor(private readonly config: HearthConfig, private readonly log: Logger, private readonly hooks: SpeakerHooks) {}

  start(): void {
    const t = this.config.tts;
    if (t.engine !== 'none') this.tts = new TtsEngine({ engine: t.engine, voice: t.voice, rateWpm: t.rateWpm });
  }

  stop(): void {
    for (const done of this.waiting.values()) done();
  }

  get engine(): TtsEngine | undefined {
    return this.tts;
  }

  /** The reply voice, for clients that ask for speech (Wyoming synthesize). */
  synthesize(text: string): AsyncIterable<TtsChunk> {
    if (!this.tts) throw new HearthError('tts-off', 'config', 'Spoken replies are off on this hub (tts.engine: none).');
    return this.tts.synthesize(text);
  }

  /** A client plays its own site's replies. Returns the unregister function. */
  register(siteId: string, sink: ReplySink): () => void {
    this.sinks.set(siteId, sink);
    return () => { if (this.sinks.get(siteId) === sink) this.sinks.delete(siteId); };
  }

  /** A satellite finished playing what it was sent (Hermes playFinished, Wyoming played). */
  playFinished(siteId: string): void {
    this.waiting.get(siteId)?.();
  }

  /** Says `text` on `siteId`; failures are logged with their code. */
  say(siteId: string, text: string): void {
    if (!text.trim()) return;
    const sink = this.sinks.get(siteId);
    if (!this.tts) { if (sink) void sink(text, (async function* () { /* no voice: the text alone */ })()).catch(() => undefined); return; }
    void this.play(siteId, text).catch((err: unknown) => {
      const h = asHearthError(err, 'tts-failed', 'environment');
      this.log.error({ siteId, code: h.code }, `The reply was not spoken: ${h.message}`);
    }).finally(() => this.hooks.finished(siteId));
  }

  private async play(siteId: string, text: string): Promise<void> {
    const tts = this.tts!;
    const sink = this.sinks.get(siteId);
    if (sink) {
      const hooks = this.hooks;
      let audioMs = 0;
      await sink(text, (async function* () {
        for await (const c of tts.synthesize(text)) { audioMs += (c.samples.length * 1000) / c.rateHz; hooks.started(siteId, text, audioMs); yield c; }
      })());
      await this.untilPlayed(siteId, audioMs); // sent is not played: the satellite is still speaking
    } else if (this.config.audio.source === 'hermes' && this.config.audio.hermesSiteIds.includes(siteId)) {
      await this.playHermes(siteId, text, await tts.whole(text));
    } else if (siteId === 'local' && this.config.audio.source === 'microphone' && this.config.audio.player === 'aplay') {
      await playWithAplay(tts.synthesize(text), this.config.audio.playbackDevice, (audioMs) => this.hooks.started('local', text, audioMs));
    }
  }

  private playHermes(siteId: string, text: string, audio: TtsChunk): Promise<void> {
    const audioMs = (audio.samples.length * 1000) / audio.rateHz;
    this.hooks.started(siteId, text, audioMs);
    this.hooks.publish(playBytesTopic(siteId, randomUUID()), Buffer.from(encodeWav(audio.samples, audio.rateHz)));
    return this.untilPlayed(siteId, audioMs);
  }

  /** Resolves when the site's satellite says it played the reply, or after its length and PLAY_GRACE_MS. */
  private untilPlayed(siteId: string, audioMs: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => { clearTimeout(timer); if (this.waiting.get(siteId) === done) this.waiting.delete(siteId); resolve(); };
      const timer = setTimeout(done, audioMs + PLAY_GRACE_MS);
      this.waiting.get(siteId)?.(); // a newer reply replaces the one still playing
      this.waiting.set(siteId, done);
    });
  }
}
