/**
 * `hearth listen [--file x.wav | --stdin]`: wake events, VAD segments and utterance boundaries as
 * JSON lines, from a file, raw PCM on stdin, or the microphone. Times are ms from the start of the
 * audio. Until an ASR engine is configured, each utterance ends in an `asr-engine-missing` line.
 */
import type { HearthConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { createListener } from '../pipeline/listen.js';
import { MicrophoneSource, StdinSource, WavFileSource, type AudioSource } from '../audio/sources.js';
import { mergeConfig, validateConfig } from '../config/load.js';

type Write = (line: Record<string, unknown>) => void;

export async function listen(config: HearthConfig, opts: { file?: string; stdin?: boolean }, log: Logger, write: Write): Promise<number> {
  // A file arrives all at once: nothing may be dropped, and the lead-in lets the engine's warm-up pass.
  const offline = Boolean(opts.file || opts.stdin);
  const cfg = offline ? validateConfig(mergeConfig(config as never, { audio: { queueMaxFrames: 10000 } })) : config;
  const leadInMs = opts.file ? cfg.wake.warmupMs : 0;
  const listener = await createListener(cfg, log);
  const t = (ms: number) => Math.round(ms - leadInMs);
  listener.events.on('wake', (e) => write({ event: 'wake', wakeWord: e.wakeWordId, score: round(e.score), atMs: t(e.atMs) }));
  listener.events.on('speech-start', (e) => write({ event: 'speech-start', atMs: t(e.atMs) }));
  listener.events.on('speech-end', (e) => write({ event: 'speech-end', atMs: t(e.atMs) }));
  listener.events.on('dropped', (e) => write({ event: 'dropped', frames: e.frames, totalDropped: e.totalDropped }));
  listener.events.on('error', (e) => write({ event: 'error', code: e.code, message: e.message, atMs: t(e.startMs) }));
  listener.events.on('utterance', (u) => {
    write({ event: 'utterance', wakeWord: u.wake.wakeWordId, startMs: t(u.startMs), endMs: t(u.endMs), durationMs: u.endMs - u.startMs, endReason: u.endReason, frames: u.frames.length });
    write({ event: 'asr', code: 'asr-engine-missing', message: 'No ASR engine is configured yet, so the utterance was cut but not transcribed.' });
  });
  const source: AudioSource = opts.file ? new WavFileSource(opts.file, leadInMs) : opts.stdin ? new StdinSource() : new MicrophoneSource(cfg.audio.recorder, cfg.audio.device);
  if (!offline) {
    const stop = () => { void source.stop(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  await source.start((frames) => listener.push(frames));
  await listener.finish();
  write({ event: 'end', frames: listener.processedFrames, droppedFrames: listener.droppedFrames, embeddingRuns: listener.embeddingRuns });
  await listener.stop();
  return 0;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
