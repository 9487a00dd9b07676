/**
 * The audio front of the pipeline: frames -> noise floor -> VAD -> wake word -> endpointer -> utterance. Frames
 * wait in a bounded queue while the models work; when the models fall behind (a busy CPU), the
 * oldest frames are dropped and counted, so memory stays flat and the hub hears the present.
 */
import { EventBus } from '../bus.js';
import type { Logger } from '../log.js';
import { FRAME_MS, SAMPLE_RATE_HZ, type AudioFrame, type Utterance, type WakeEvent } from '../types/audio.js';
import type { HearthConfig } from '../config/config.js';
import { Endpointer, type EndpointerEvent } from '../audio/endpointer.js';
import { createWakeEngine, type WakeEngine } from '../wake/engine.js';
import { DEFAULT_MODELS_DIR } from '../models/manifest.js';
import { embeddingModelId, resolveWakeWords } from '../wake/models.js';
import { loadSpeechGate, type SpeechGate } from '../vad/speech-gate.js';
import { DcBlocker } from '../audio/dc-block.js';

export interface ListenEvents {
  wake: WakeEvent;
  /** A detection the word's verifier vetoed (with its score): judged again on the next frame while the score holds. */
  'wake-vetoed': WakeEvent;
  'speech-start': { readonly atMs: number };
  'speech-end': { readonly atMs: number };
  /** The utterance opened; its frames follow as `utterance-frame` while it lasts (an ASR engine streams them). */
  'utterance-start': { readonly wake: WakeEvent; readonly preroll: readonly AudioFrame[] };
  'utterance-frame': AudioFrame;
  utterance: Utterance;
  dropped: { readonly frames: number; readonly totalDropped: number };
  /** A frame the models could not process (logged; the stream goes on). */
  error: { readonly startMs: number; readonly code: string; readonly message: string };
  /** Per frame, for tools: the speech probability and the wake scores (empty when gated off). */
  frame: { readonly startMs: number; readonly speechProbability: number; readonly scores: ReadonlyMap<string, number>; readonly evaluated: boolean };
}

/** Audio kept for a wake word's confirmation: the word (about 1 s) and what came just before it. */
const RECENT_MS = 2000, RECENT_SAMPLES = (RECENT_MS * SAMPLE_RATE_HZ) / 1000;
/** Audio kept before the VAD's start of speech: its first frame is late on a soft onset. */
const SPEECH_LEAD_MS = 300;

/** Frames (2 s) before the front end's time counts: the runtime warms up on them (the bench skips as many). */
export const WARM_FRAMES = 25;

export class Listener {
  readonly events: EventBus<ListenEvents>;
  private readonly queue: AudioFrame[] = [];
  /** Offset removal, first thing on every frame of this stream (normalise once at the edge). */
  private readonly dc = new DcBlocker();
  private running: Promise<void> | undefined;
  droppedFrames = 0;
  processedFrames = 0;
  private lastEndMs = 0;
  /**
   * Wall time spent in the VAD and the wake stage on frames that wait for a wake word (no utterance open, so no ASR
   * runs in between), after the first WARM_FRAMES (ONNX Runtime's first calls are slow), and how many: what listening
   * all day costs this machine.
   */
  private waitingMs = 0;
  private timedFrames = 0;
  /** Only this word opens an utterance (undefined: every word listened for). */
  private activeWord: string | undefined;
  /** The last RECENT_SAMPLES of the stream (offset removed), a ring: the audio a wake word was heard in. */
  private readonly recent = new Int16Array(RECENT_SAMPLES);
  private recentAt = 0;
  private recentEndMs = 0;
  /** Where the VAD last heard speech start (stream ms). */
  private speechStartMs = 0;

  constructor(private readonly wake: WakeEngine, private readonly vad: SpeechGate, private readonly endpointer: Endpointer,
    private readonly queueMaxFrames: number, log: Logger) {
    this.events = new EventBus<ListenEvents>(log);
  }

  /** Queues frames; processing runs in the background, one frame at a time, in order. */
  push(frames: readonly AudioFrame[]): void {
    this.queue.push(...frames);
    const over = this.queue.length - this.queueMaxFrames;
    if (over > 0) {
      this.queue.splice(0, over);
      this.droppedFrames += over;
      this.events.emit('dropped', { frames: over, totalDropped: this.droppedFrames });
    }
    this.kick();
  }

  /**
   * Queues frames without dropping any, waiting for the queue to empty whenever it is full: for a file or a pipe, which
   * can wait (backpressure), however long they are. Live audio uses `push`: it cannot wait, so the oldest frames go.
   */
  async offer(frames: readonly AudioFrame[]): Promise<void> {
    for (const frame of frames) {
      if (this.queue.length >= this.queueMaxFrames) await this.drain();
      this.push([frame]);
    }
  }

  /** Starts the processing loop unless it runs; a frame queued while the loop was finishing restarts it. */
  private kick(): void {
    if (this.running || this.queue.length === 0) return;
    this.running = this.loop().finally(() => {
      this.running = undefined;
      this.kick();
    });
  }

  /** Resolves when every queued frame is processed. */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Closes an open utterance at the end of a stream. */
  async finish(): Promise<void> {
    await this.drain();
    this.forward(this.endpointer.finish());
  }

  get embeddingRuns(): number {
    return this.wake.embeddingRuns;
  }

  /**
   * Mean milliseconds the VAD and the wake stage took per 80 ms frame while waiting for a wake word, after the first 2 s
   * (0 until then), as the bench counts. `hearth listen` prints it at the end, so a hub's owner can see what listening
   * costs on their own board.
   */
  get waitingMsPerFrame(): number {
    return this.timedFrames === 0 ? 0 : this.waitingMs / this.timedFrames;
  }

  /** Silero VAD calls so far (the noise-floor gate skips it in a quiet room). */
  get vadRuns(): number {
    return this.vad.vadRuns;
  }

  async stop(): Promise<void> {
    this.queue.length = 0;
    await this.drain();
    await this.wake.stop();
  }

  setActiveWakeWord(id: string | undefined): void {
    this.activeWord = id;
  }

  /**
   * The wake word was heard elsewhere (a satellite that runs its own, Wyoming's run-pipeline from asr): the command
   * starts with the next frame, as after a detection.
   */
  trigger(wakeWordId: string): void {
    const w = { wakeWordId, score: 1, atMs: this.lastEndMs, external: true };
    this.events.emit('wake', w);
    this.forward(this.endpointer.wake(w));
  }

  /** The hub is speaking until `streamMs`: its own voice must not wake it. */
  suppressUntil(streamMs: number): void {
    this.wake.suppressUntil(streamMs);
  }

  /**
   * During a `wake` event, the audio the word was said in: from `leadMs` before the VAD's last start of speech up to the
   * frame that fired, 2 s at most (silence before the word only invites an ASR to write something into it).
   */
  recentSpeech(leadMs = SPEECH_LEAD_MS): Int16Array {
    const fromMs = Math.max(this.recentEndMs - RECENT_MS, this.speechStartMs - leadMs);
    const n = Math.min(RECENT_SAMPLES, Math.max(0, Math.round(((this.recentEndMs - fromMs) * SAMPLE_RATE_HZ) / 1000)));
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) out[i] = this.recent[(this.recentAt - n + i) % RECENT_SAMPLES]!;
    return out;
  }

  private keepRecent(x: Int16Array): void {
    const at = this.recentAt % RECENT_SAMPLES, head = Math.min(x.length, RECENT_SAMPLES - at);
    this.recent.set(x.subarray(0, head), at);
    if (head < x.length) this.recent.set(x.subarray(head, head + RECENT_SAMPLES), 0);
    this.recentAt += x.length;
  }

  /** Stream time (ms) at the end of the newest frame received. */
  get streamMs(): number {
    return this.lastEndMs;
  }

  private forward(events: readonly EndpointerEvent[]): void {
    for (const e of events) {
      switch (e.kind) {
        case 'utterance-start': this.events.emit('utterance-start', { wake: e.wake, preroll: e.preroll }); break;
        case 'utterance-frame': this.events.emit('utterance-frame', e.frame); break;
        case 'utterance': this.events.emit('utterance', e.utterance); break;
        default:
          if (e.kind === 'speech-start') this.speechStartMs = e.atMs;
          this.events.emit(e.kind, { atMs: e.atMs });
      }
    }
  }

  private async loop(): Promise<void> {
    for (let raw = this.queue.shift(); raw; raw = this.queue.shift()) {
      const frame = this.dc.frame(raw);
      this.keepRecent(frame.samples);
      this.recentEndMs = frame.startMs + (frame.samples.length * 1000) / SAMPLE_RATE_HZ;
      let p: number;
      let r: Awaited<ReturnType<WakeEngine['process']>>;
      const t0 = performance.now();
      const waiting = !this.endpointer.listening && this.processedFrames >= WARM_FRAMES;
      try {
        // In an open utterance the VAD runs on every frame: the end of the command is cut on it.
        p = await this.vad.process(frame.samples, this.endpointer.listening);
        r = await this.wake.process(frame, p);
        if (waiting) { this.waitingMs += performance.now() - t0; this.timedFrames++; }
      } catch (err) {
        this.events.emit('error', { startMs: frame.startMs, code: 'wake-frame-failed', message: (err as Error).message });
        continue;
      }
      this.processedFrames++;
      this.lastEndMs = Math.max(this.lastEndMs, frame.startMs + FRAME_MS);
      this.events.emit('frame', { startMs: frame.startMs, speechProbability: p, scores: r.scores, evaluated: r.evaluated });
      for (const w of r.vetoed) this.events.emit('wake-vetoed', w);
      for (const w of r.events) {
        if (this.activeWord !== undefined && w.wakeWordId !== this.activeWord) continue;
        this.events.emit('wake', w);
        this.forward(this.endpointer.wake(w));
      }
      this.forward(this.endpointer.push(frame, p));
    }
  }
}

/** A listener built from the config: the wake engine and the VAD share one ONNX Runtime. */
export async function createListener(config: HearthConfig, log: Logger): Promise<Listener> {
  const modelsDir = config.wake.modelsDir ?? DEFAULT_MODELS_DIR;
  const w = config.wake;
  const engine = await createWakeEngine(w.engine, {
    modelsDir, runtime: w.runtime, threads: w.threads, embeddingModelId: embeddingModelId(w.embedding), warmupMs: w.warmupMs, vadGateThreshold: w.vadGateThreshold, vadGateHangoverFrames: w.vadGateHangoverFrames,
    words: resolveWakeWords(w, modelsDir),
  }, log);
  const vad = await loadSpeechGate(engine.runtimeId, modelsDir, w.noiseFloorMarginDb, log);
  return new Listener(engine, vad, new Endpointer(config.endpoint), config.audio.queueMaxFrames, log);
}
