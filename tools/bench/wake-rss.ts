/**
 * Child process of the wake bench: loads wake (3 words) + VAD, runs the speech stream, prints its
 * peak RSS in KiB. VmHWM, not getrusage's maxRSS: Linux carries maxRSS over from the parent at
 * fork+exec, so a big parent would be counted here too.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_EMBEDDING, DEFAULT_GATING, framesOf, speechStream, timeHearth } from './wake.js';

await timeHearth('onnxruntime-node', ['hey_jarvis', 'alexa', 'hey_mycroft'], framesOf(speechStream(60).samples), DEFAULT_GATING, DEFAULT_EMBEDDING);
let kib = process.resourceUsage().maxRSS;
try {
  kib = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? kib);
} catch { /* not Linux: maxRSS it is */ }
process.stdout.write(`${kib}\n`);
