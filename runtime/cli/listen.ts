/**
 * `hearth listen [--file x.wav | --stdin]`: wake events, VAD segments, utterance boundaries and what
 * the ASR engine heard, as JSON lines, from a file, raw PCM on stdin, or the microphone. Times are ms
 * from the start of the audio. When a hub is running, each recognised request is sent to it and its
 * turn (intent, commands, reply) is printed too: the whole pipeline, from sound to MQTT command. The wake check
 * (wake.asrCheck) runs as in the hub: a detection the ASR does not confirm prints `wake-check` with confirmed false and
 * is not sent.
 */
import type { HearthConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { createListener } from '../pipeline/listen.js';
import { MicrophoneSource, StdinSource, WavFileSource, type AudioSource } from '../audio/sources.js';
import { HearthError } from '../types/errors.js';
import type { WakeEvent } from '../types/audio.js';
import type { AsrEngine } from '../asr/engine.js';
import { recogniseUtterances } from '../pipeline/recognise.js';
import { WakeCheck } from '../pipeline/wake-check.js';
import { asrSettingsOf, createAsrEngine } from '../asr/engines.js';
import { askHub, homeWordsFromHub } from './hub-client.js';

type Write = (line: Record<string, unknown>) => void;

export async function listen(config: HearthConfig, opts: { file?: string; stdin?: boolean }, log: Logger, write: Write): Promise<number> {
  // A file or a pipe can wait for the listener (offer: nothing dropped, however long); the microphone cannot (push: the
  // oldest frames go when the models fall behind). The lead-in lets the engine's warm-up pass.
  const offline = Boolean(opts.file || opts.stdin);
  const leadInMs = opts.file ? config.wake.warmupMs : 0;
  const listener = await createListener(config, log);
  const t = (ms: number) => Math.round(ms - leadInMs);
  const wake = (event: string) => (e: WakeEvent) => write({ event, wakeWord: e.wakeWordId, score: round(e.score), ...(e.verifierScore !== undefined ? { verifierScore: round(e.verifierScore) } : {}), atMs: t(e.atMs) });
  // The hub's check of each detection by the ASR (wake.asrCheck), so what this prints is what the hub would do.
  const check = new WakeCheck(() => asr, config.wake, log);
  listener.events.on('wake', (e) => { wake('wake')(e); check.heard(e, (leadMs) => listener.recentSpeech(leadMs)); });
  listener.events.on('wake-vetoed', wake('wake-vetoed'));
  listener.events.on('speech-start', (e) => write({ event: 'speech-start', atMs: t(e.atMs) }));
  listener.events.on('speech-end', (e) => write({ event: 'speech-end', atMs: t(e.atMs) }));
  listener.events.on('dropped', (e) => write({ event: 'dropped', frames: e.frames, totalDropped: e.totalDropped }));
  listener.events.on('error', (e) => write({ event: 'error', code: e.code, message: e.message, atMs: t(e.startMs) }));
  listener.events.on('utterance', (u) => write({ event: 'utterance', wakeWord: u.wake.wakeWordId, startMs: t(u.startMs), endMs: t(u.endMs), durationMs: u.endMs - u.startMs, endReason: u.endReason, frames: u.frames.length }));
  const asr = await startAsr(config, log);
  const recognising = recogniseUtterances(listener, (o) => asr?.start(o), {
    done: async (u, tr, err) => {
      const verdict = await check.verdict(u.wake);
      if (verdict) write({ event: 'wake-check', wakeWord: u.wake.wakeWordId, confidence: verdict.confidence, confirmed: verdict.confirmed });
      if (!tr) { write({ event: 'asr', code: err ? 'asr-failed' : 'asr-engine-missing', message: err?.message ?? 'No ASR engine could start (see the log), so the utterance was cut but not transcribed.' }); return; }
      const text = tr.rejected ? null : tr.hypotheses[0]?.text ?? null;
      write({ event: 'asr', engine: tr.engine, text, rejected: tr.rejected, hypotheses: tr.hypotheses, latencyMs: Math.round(tr.latencyMs), realTimeFactor: Math.round(tr.computeStats.realTimeFactor * 1000) / 1000 });
      if (!text) return;
      if (verdict && !verdict.confirmed) { write({ event: 'turn', code: 'wake-unconfirmed', message: 'The ASR did not hear the wake word in it: a false wake, so nothing was done.' }); return; }
      try {
        const turn = await askHub(config, 'say', 'turn', { text }, 3000);
        write({ event: 'turn', intent: turn['intent'], speech: turn['speech'], commands: turn['commands'] });
      } catch (e) {
        write({ event: 'turn', code: e instanceof HearthError ? e.code : 'hub-no-answer', message: 'No hub answered; start one with "npm start" to carry the request out.' });
      }
    },
  });
  const source: AudioSource = opts.file ? new WavFileSource(opts.file, leadInMs) : opts.stdin ? new StdinSource() : new MicrophoneSource(config.audio.recorder, config.audio.device);
  if (!offline) {
    const stop = () => { void source.stop(); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  await source.start(offline ? (frames) => listener.offer(frames) : (frames) => listener.push(frames));
  await listener.finish();
  await recognising.settled();
  await asr?.stop();
  write({ event: 'end', frames: listener.processedFrames, droppedFrames: listener.droppedFrames, embeddingRuns: listener.embeddingRuns, vadRuns: listener.vadRuns,
    waitingMsPerFrame: round(listener.waitingMsPerFrame) });
  await listener.stop();
  return 0;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The configured ASR engine over the running hub's words (or the config's); undefined, with a logged reason, when it cannot start. */
async function startAsr(config: HearthConfig, log: Logger): Promise<AsrEngine | undefined> {
  if (config.asr.engine === 'none') return undefined;
  try {
    return createAsrEngine(config.asr.engine, await homeWordsFromHub(config), asrSettingsOf(config));
  } catch (err) {
    log.error({ code: (err as HearthError).code }, (err as Error).message);
    return undefined;
  }
}
