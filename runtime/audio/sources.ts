/**
 * Where audio comes from: a WAV file, raw PCM on stdin, or the microphone (node-record-lpcm16 over
 * arecord or sox). Each normalises once, at this edge, to 16 kHz mono int16 frames of 1280 samples,
 * and hands them on in order. Satellites over MQTT are in hermes.ts.
 */
import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import { FRAME_SAMPLES, type AudioFrame } from '../types/audio.js';
import { HearthError } from '../types/errors.js';
import { Framer, S16leDecoder } from './framer.js';
import { readWav16k } from './wav.js';

/**
 * Where a source delivers its frames. A sink may return a promise to hold the source back until it has room
 * (backpressure): the file and stdin sources wait for it, so a long file loses nothing; the microphone cannot wait.
 */
export type FrameSink = (frames: AudioFrame[]) => void | Promise<void>;

export interface AudioSource {
  readonly id: string;
  /** Starts delivering frames; resolves when the source has ended (files, stdin) or once it runs (microphone). */
  start(sink: FrameSink): Promise<void>;
  stop(): Promise<void>;
}

/** A whole WAV file, optionally after `leadInMs` of silence (the wake engine ignores its first seconds). */
export class WavFileSource implements AudioSource {
  readonly id: string;
  constructor(private readonly path: string, private readonly leadInMs = 0) {
    this.id = `file:${path}`;
  }

  async start(sink: FrameSink): Promise<void> {
    const { samples } = readWav16k(this.path);
    const framer = new Framer();
    const lead = Math.ceil((this.leadInMs * 16) / FRAME_SAMPLES) * FRAME_SAMPLES;
    if (lead > 0) await sink(framer.push(new Int16Array(lead)));
    // In slices, as a stream would deliver it: listeners see the same frames either way.
    for (let i = 0; i < samples.length; i += 16000) await sink(framer.push(samples.subarray(i, i + 16000)));
    await sink(framer.flush());
  }

  async stop(): Promise<void> {}
}

/** Frames from a byte stream of raw s16le 16 kHz mono (stdin, a pipe, a recorder's stdout). */
export function pumpRaw(stream: Readable, sink: FrameSink): Promise<void> {
  const decoder = new S16leDecoder();
  const framer = new Framer();
  return new Promise((resolve, reject) => {
    // While the sink holds a chunk back the stream is paused, so the pipe (and its writer) wait instead of audio piling up.
    let pending: Promise<void> = Promise.resolve();
    stream.on('data', (chunk: Buffer | string) => {
      const held = sink(framer.push(decoder.decode(typeof chunk === 'string' ? Buffer.from(chunk, 'binary') : chunk)));
      if (!held) return;
      stream.pause();
      pending = held.then(() => { stream.resume(); }, reject);
    });
    stream.on('end', () => { void pending.then(() => sink(framer.flush())).then(() => resolve(), reject); });
    stream.on('error', (err: unknown) => reject(err instanceof Error ? err : new Error(String(err))));
  });
}

export class StdinSource implements AudioSource {
  readonly id = 'stdin';
  start(sink: FrameSink): Promise<void> {
    return pumpRaw(process.stdin, sink);
  }
  async stop(): Promise<void> {
    process.stdin.pause();
  }
}

interface Recording { process: import('node:child_process').ChildProcess; stream(): Readable; stop(): void }
const require = createRequire(import.meta.url);

/** The microphone through node-record-lpcm16 (arecord from alsa-utils, or sox). */
export class MicrophoneSource implements AudioSource {
  readonly id = 'microphone';
  private recording: Recording | undefined;

  constructor(private readonly recorder: 'arecord' | 'sox' | 'rec', private readonly device: string | null) {}

  start(sink: FrameSink): Promise<void> {
    const record = require('node-record-lpcm16') as { record(o: Record<string, unknown>): Recording };
    const where = this.device ?? 'the default ALSA device';
    const pkg = this.recorder === 'arecord' ? 'alsa-utils' : 'sox';
    return new Promise((resolve, reject) => {
      const rec = record.record({ recorder: this.recorder, sampleRate: 16000, channels: 1, audioType: 'raw', ...(this.device ? { device: this.device } : {}) });
      this.recording = rec;
      // node-record-lpcm16 does not listen for spawn errors; without this a missing recorder would crash the hub.
      rec.process.on('error', (err: NodeJS.ErrnoException) => {
        reject(new HearthError('audio-recorder-missing', 'environment', err.code === 'ENOENT'
          ? `The recorder "${this.recorder}" is not installed: apt-get install ${pkg} (or set audio.recorder).`
          : `Cannot start ${this.recorder} on ${where}: ${err.message}`, { recorder: this.recorder }, err));
      });
      rec.process.on('spawn', () => resolve());
      rec.stream().on('error', (msg: unknown) => {
        reject(new HearthError('audio-capture-failed', 'environment', `${this.recorder} stopped capturing from ${where}: ${String(msg)} Check audio.device (arecord -l lists devices).`, { device: where }));
      });
      void pumpRaw(rec.stream(), sink).catch(() => undefined);
    });
  }

  async stop(): Promise<void> {
    this.recording?.stop();
  }
}
