/**
 * The seam between the listener and the ASR stage: each utterance streams into a new engine stream
 * (the pre-roll first, then every frame as it arrives, partials out as they come) and its transcript
 * is handed on when the endpointer closes it. The hub and `hearth listen` both use it.
 */
import type { Utterance } from '../types/audio.js';
import type { AsrStream, StreamOptions, Transcript } from '../asr/engine.js';
import { FRAME_MS } from '../types/audio.js';
import type { Listener } from './listen.js';

export interface RecogniseHandlers {
  /** A partial hypothesis while the person speaks. */
  partial?(text: string): void;
  /** The utterance closed: its transcript, or undefined with the reason when there is no engine or it failed. */
  done(u: Utterance, t: Transcript | undefined, err?: Error): void | Promise<void>;
}

/** `start` opens a stream on the engine (undefined: no engine). Returns a way to wait for transcripts still being made. */
export function recogniseUtterances(listener: Listener, start: (o: StreamOptions) => AsrStream | undefined, h: RecogniseHandlers): { settled(): Promise<void> } {
  let stream: AsrStream | undefined;
  const pending = new Set<Promise<void>>();
  const push = (s: AsrStream | undefined, f: Parameters<AsrStream['push']>[0]) => {
    s?.push(f).then((p) => { if (p) h.partial?.(p); }, () => undefined); // a failure surfaces in finish()
  };
  listener.events.on('utterance-start', (e) => {
    stream = start({ prerollMs: e.preroll.length * FRAME_MS });
    for (const f of e.preroll) push(stream, f);
  });
  listener.events.on('utterance-frame', (f) => push(stream, f));
  listener.events.on('speech-end', () => stream?.speech?.(false));
  listener.events.on('speech-start', () => stream?.speech?.(true));
  listener.events.on('utterance', (u) => {
    const s = stream;
    stream = undefined;
    const p = (async () => {
      if (!s) return h.done(u, undefined);
      let t: Transcript;
      try { t = await s.finish(); } catch (err) { return h.done(u, undefined, err as Error); }
      return h.done(u, t);
    })();
    pending.add(p);
    void p.finally(() => pending.delete(p));
  });
  return { settled: async () => { await Promise.all([...pending]); } };
}
