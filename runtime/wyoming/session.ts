/**
 * One Wyoming connection: what the client asks decides what its audio is for.
 * - describe -> info; ping -> pong
 * - transcribe, audio-start/-chunk/-stop -> transcript (the home's grammar; "" when nothing was understood)
 * - detect, audio... -> detection (each time), or not-detected after audio-stop
 * - recognize -> intent / not-recognized (understands only, acts on nothing)
 * - transcript (text to handle) -> handled / not-handled, after the run acted
 * - synthesize -> audio-start, audio-chunk..., audio-stop (the reply voice)
 * - run-pipeline (a satellite), then its audio -> the whole run as on any satellite: detection, transcript, the
 *   command, then synthesize with the reply text and the reply's audio; `played` from the satellite ends the reply.
 * A malformed stream or a request Hearth cannot serve gets an `error` event with a code; a broken stream also ends
 * the connection.
 */
import type { AudioFrame } from '../types/audio.js';
import { HearthError, asHearthError } from '../types/errors.js';
import type { TtsChunk } from '../tts/engine.js';
import { audioFormatOf, WyomingAudioIn, type AudioFormat } from './audio-in.js';
import type { WyomingEvent } from './protocol.js';

export interface WakeDetector {
  /** Frames of the stream; resolves with the wake words detected in them. */
  push(frames: readonly AudioFrame[]): Promise<string[]>;
  stop(): Promise<void>;
}

/** A satellite's stream as one of the hub's audio sites. */
export interface SatelliteSite {
  push(frames: readonly AudioFrame[]): void;
  /** The satellite heard the wake word itself (run-pipeline from asr): the command starts now. */
  trigger(wakeWord: string): void;
  close(): Promise<void>;
}

/** What the hub tells a satellite while its run goes on. */
export interface SatelliteOut {
  detection(wakeWord: string): void;
  transcript(text: string): void;
  /** The reply: its text, then its audio (resolves when sent). */
  reply(text: string, audio: AsyncIterable<TtsChunk> | undefined): Promise<void>;
}

export interface WyomingServices {
  info(): Record<string, unknown>;
  /** Speech to text with the home's grammar; undefined when nothing in it was understood. */
  transcribe(frames: readonly AudioFrame[]): Promise<string | undefined>;
  wakeDetector(names: readonly string[] | undefined): Promise<WakeDetector>;
  recognize(text: string): { name: string; entities: { name: string; value: unknown }[] } | undefined;
  handle(text: string, clientId: string): { handled: boolean; speech: string };
  synthesize(text: string): AsyncIterable<TtsChunk>;
  openSatellite(siteId: string, out: SatelliteOut): Promise<SatelliteSite>;
  /** A satellite reports its speaker finished the reply. */
  played(siteId: string): void;
}

/** The longest audio transcribed in one go: a request, not a recording. */
const MAX_TRANSCRIBE_MS = 30_000;
/** Samples per audio-chunk Hearth sends (about 64 ms at 16 kHz, as Wyoming's own servers chunk). */
const CHUNK_SAMPLES = 1024;

type Mode = { kind: 'none' } | { kind: 'asr'; frames: AudioFrame[] } | { kind: 'wake'; names: readonly string[] | undefined; detector?: Promise<WakeDetector>; detected: boolean }
  | { kind: 'satellite'; site: Promise<SatelliteSite> };

export class WyomingSession {
  private mode: Mode = { kind: 'none' };
  private audio = new WyomingAudioIn();
  private format: AudioFormat | undefined;
  /** Events are handled one at a time, in order: audio after audio-stop never overtakes its transcript. */
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly clientId: string, private readonly services: WyomingServices, private readonly send: (e: WyomingEvent) => void) {}

  /** Queues an event; errors become `error` events. */
  receive(e: WyomingEvent): void {
    this.queue = this.queue.then(() => this.handle(e)).catch((err: unknown) => {
      const h = asHearthError(err, 'wyoming-failed');
      this.send({ type: 'error', data: { text: h.message, code: h.code } });
    });
  }

  /** Resolves when every event so far is handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  async close(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.endMode();
  }

  private async endMode(): Promise<void> {
    const m = this.mode;
    this.mode = { kind: 'none' };
    if (m.kind === 'wake' && m.detector) await (await m.detector).stop();
    if (m.kind === 'satellite') await (await m.site).close();
  }

  private async handle(e: WyomingEvent): Promise<void> {
    const s = this.services;
    switch (e.type) {
      case 'describe': this.send({ type: 'info', data: s.info() }); return;
      case 'ping': this.send({ type: 'pong', data: typeof e.data['text'] === 'string' ? { text: e.data['text'] } : {} }); return;
      case 'transcribe': await this.endMode(); this.mode = { kind: 'asr', frames: [] }; return;
      case 'detect': {
        await this.endMode();
        const names = Array.isArray(e.data['names']) ? e.data['names'].filter((n): n is string => typeof n === 'string') : undefined;
        this.mode = { kind: 'wake', names, detected: false };
        return;
      }
      case 'run-pipeline': return this.runPipeline(e.data);
      case 'audio-start': this.format = audioFormatOf(e.data); this.audio = new WyomingAudioIn(); if (this.mode.kind === 'none') this.mode = { kind: 'asr', frames: [] }; return;
      case 'audio-chunk': return this.chunk(e);
      case 'audio-stop': return this.audioStop();
      case 'recognize': {
        const text = this.text(e);
        const hit = s.recognize(text);
        this.send(hit ? { type: 'intent', data: { name: hit.name, entities: hit.entities, text } } : { type: 'not-recognized', data: { text } });
        return;
      }
      case 'transcript': {
        const r = s.handle(this.text(e), this.clientId);
        this.send({ type: r.handled ? 'handled' : 'not-handled', data: { text: r.speech } });
        return;
      }
      case 'synthesize': await this.sendAudio(s.synthesize(this.text(e))); return;
      case 'played': if (this.mode.kind === 'satellite') s.played(this.clientId); return;
      default:
        throw new HearthError('wyoming-unsupported', 'input', `Wyoming event ${e.type.slice(0, 60)} is not one Hearth serves (it serves describe, transcribe, detect, recognize, transcript, synthesize, run-pipeline and audio)`);
    }
  }

  private text(e: WyomingEvent): string {
    const t = e.data['text'];
    if (typeof t !== 'string') throw new HearthError('wyoming-malformed', 'input', `Wyoming ${e.type}: no text`);
    return t;
  }

  private async runPipeline(data: Readonly<Record<string, unknown>>): Promise<void> {
    const start = data['start_stage'], end = data['end_stage'];
    if ((start !== 'wake' && start !== 'asr') || (end !== 'handle' && end !== 'tts')) {
      throw new HearthError('wyoming-unsupported', 'input', `run-pipeline from ${String(start)} to ${String(end)}: Hearth runs satellites' audio from wake or asr to handle or tts`);
    }
    await this.endMode();
    const siteId = this.clientId;
    const site = this.services.openSatellite(siteId, {
      detection: (name) => this.send({ type: 'detection', data: { name } }),
      transcript: (text) => this.send({ type: 'transcript', data: { text } }),
      reply: async (text, audio) => {
        this.send({ type: 'synthesize', data: { text } });
        if (audio && end === 'tts') await this.sendAudio(audio);
      },
    });
    this.mode = { kind: 'satellite', site };
    if (start === 'asr') (await site).trigger(typeof data['wake_word_name'] === 'string' ? data['wake_word_name'] : 'wyoming');
  }

  private async chunk(e: WyomingEvent): Promise<void> {
    const format = audioFormatOf(e.data);
    const frames = this.audio.push(format, e.payload ?? Buffer.alloc(0));
    const m = this.mode;
    if (m.kind === 'asr') {
      m.frames.push(...frames);
      if (this.audio.samples16k > (MAX_TRANSCRIBE_MS * 16)) throw new HearthError('wyoming-audio-too-long', 'input', `Wyoming transcribe: over ${MAX_TRANSCRIBE_MS / 1000} s of audio; send one request at a time`);
    } else if (m.kind === 'wake') {
      if (m.detected) return;
      m.detector ??= this.services.wakeDetector(m.names);
      let detector: WakeDetector;
      try { detector = await m.detector; } catch (err) {
        this.mode = { kind: 'none' }; // one error for the stream (an unknown wake word), not one per chunk
        throw err;
      }
      const hits = await detector.push(frames);
      for (const name of hits) {
        m.detected = true;
        this.send({ type: 'detection', data: { name, timestamp: Math.round((this.audio.samples16k / 16)) } });
      }
    } else if (m.kind === 'satellite') {
      (await m.site).push(frames);
    }
  }

  private async audioStop(): Promise<void> {
    const m = this.mode;
    const rest = this.audio.flush();
    if (m.kind === 'asr') {
      const text = await this.services.transcribe([...m.frames, ...rest]);
      this.mode = { kind: 'none' };
      this.send({ type: 'transcript', data: { text: text ?? '' } });
    } else if (m.kind === 'wake') {
      if (m.detector && rest.length) for (const name of await (await m.detector).push(rest)) { m.detected = true; this.send({ type: 'detection', data: { name } }); }
      if (!m.detected) this.send({ type: 'not-detected', data: {} });
      await this.endMode();
    } else if (m.kind === 'satellite') {
      (await m.site).push(rest);
    }
  }

  /** A reply's audio as audio-start, audio-chunks and audio-stop, at the engine's own rate. */
  private async sendAudio(audio: AsyncIterable<TtsChunk>): Promise<void> {
    let started = false;
    let rate = 16000;
    for await (const c of audio) {
      rate = c.rateHz;
      const format = { rate: c.rateHz, width: 2, channels: 1 };
      if (!started) { this.send({ type: 'audio-start', data: { ...format, timestamp: 0 } }); started = true; }
      for (let i = 0; i < c.samples.length; i += CHUNK_SAMPLES) {
        const part = c.samples.subarray(i, i + CHUNK_SAMPLES);
        this.send({ type: 'audio-chunk', data: format, payload: Buffer.from(part.buffer, part.byteOffset, part.byteLength) });
      }
    }
    if (!started) this.send({ type: 'audio-start', data: { rate, width: 2, channels: 1, timestamp: 0 } });
    this.send({ type: 'audio-stop', data: {} });
  }
}
