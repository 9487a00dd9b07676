/**
 * A nudge to V8's collector after model work that leaves much garbage. onnxruntime-node hands every output back as a
 * new ArrayBuffer (a pre-allocated output is copied too), and the JS heap around them stays small, so V8 lets tens of
 * MB of dead buffers pile up before it collects: the whole hub with Moonshine peaked at 310 MB, and at 252 MB with a
 * collection after loading and after each utterance (tools/bench/hub-rss.ts, the same session's other fixes in place). Node offers gc() only behind a flag; the flag can be set at
 * run time, and the function is read from a fresh context (the pattern Node's own docs give for v8.setFlagsFromString).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | null | undefined;

function collector(): (() => void) | null {
  if (gc === undefined) {
    gc = (globalThis as { gc?: () => void }).gc ?? null;
    if (!gc) {
      try {
        setFlagsFromString('--expose-gc');
        gc = runInNewContext('gc') as () => void;
      } catch {
        gc = null; // no collector to nudge: V8 collects on its own schedule, only later
      }
    }
  }
  return gc;
}

/** Collects soon, off the caller's path (a reply or an MQTT command is not held up by it); at most one is pending. */
let pending: NodeJS.Timeout | undefined;
export function collectSoon(delayMs = 250): void {
  if (pending) return;
  pending = setTimeout(() => { pending = undefined; collector()?.(); }, delayMs);
  pending.unref();
}
