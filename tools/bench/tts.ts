/**
 * Spoken replies (issue 44 goal: first audio byte within 150 ms of the answer on this CPU): for typical replies, the
 * time from the answer's text to the first audio of the reply voice, flite (the default) beside espeak-ng, and through
 * the Wyoming server (a TCP client's synthesize to its first audio-chunk), with how long each reply's audio lasts.
 */
import { connect } from 'node:net';
import { TtsEngine, type TtsEngineId } from '../../runtime/tts/engine.js';
import { WyomingServer } from '../../runtime/wyoming/server.js';
import type { WyomingServices } from '../../runtime/wyoming/session.js';
import { EventDecoder, encodeEvent } from '../../runtime/wyoming/protocol.js';
import { silentLogger } from '../../runtime/log.js';

const REPLIES = [
  'Turned on the kitchen light.',
  'It is 7:15 PM.',
  'The living room temperature is 21.5 degrees.',
  'The front door is locked. Say your PIN to unlock it.',
  "Sorry, I didn't get that. Say the settings for reading mode, like half brightness and warm white.",
];
const RUNS = 10;
const GOAL_MS = 150;

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;

async function firstChunkMs(tts: TtsEngine, text: string): Promise<{ firstMs: number; audioS: number }> {
  const t0 = performance.now();
  let firstMs = -1, samples = 0, rate = 16000;
  for await (const c of tts.synthesize(text)) {
    if (firstMs < 0) firstMs = performance.now() - t0;
    samples += c.samples.length; rate = c.rateHz;
  }
  return { firstMs, audioS: samples / rate };
}

async function wyomingFirstChunkMs(port: number, text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const decoder = new EventDecoder();
    let t0 = 0;
    socket.on('connect', () => { t0 = performance.now(); socket.write(encodeEvent({ type: 'synthesize', data: { text } })); });
    socket.on('data', (b: Buffer) => {
      if (decoder.push(b).some((e) => e.type === 'audio-chunk')) { resolve(performance.now() - t0); socket.destroy(); }
    });
    socket.on('error', reject);
  });
}

export async function benchTts(): Promise<string> {
  const rows: string[] = [];
  for (const engine of ['flite', 'espeak-ng'] as TtsEngineId[]) {
    const tts = new TtsEngine({ engine, voice: null, rateWpm: 175 });
    await firstChunkMs(tts, 'Warm up.');
    for (const text of REPLIES) {
      const runs = [];
      for (let i = 0; i < RUNS; i++) runs.push(await firstChunkMs(tts, text));
      const first = runs.map((r) => r.firstMs);
      rows.push(`| ${engine} (${tts.voice}) | ${text} | ${runs[0]!.audioS.toFixed(1)} | ${q(first, 0.5).toFixed(0)} | ${q(first, 0.95).toFixed(0)} | ${q(first, 0.95) <= GOAL_MS ? 'met' : 'NOT met'} |`);
    }
  }
  const tts = new TtsEngine({ engine: 'flite', voice: null, rateWpm: 175 });
  const services = { synthesize: (t: string) => tts.synthesize(t) } as unknown as WyomingServices;
  const server = new WyomingServer({ host: '127.0.0.1', port: 0, maxClients: 4 }, services, silentLogger);
  await server.start();
  for (const text of [REPLIES[0]!, REPLIES[3]!]) {
    const times = [];
    for (let i = 0; i < RUNS; i++) times.push(await wyomingFirstChunkMs(server.port, text));
    rows.push(`| Wyoming synthesize, flite | ${text} | | ${q(times, 0.5).toFixed(0)} | ${q(times, 0.95).toFixed(0)} | ${q(times, 0.95) <= GOAL_MS ? 'met' : 'NOT met'} |`);
  }
  await server.stop();
  return `## Spoken replies: answer to first audio (tools/bench/tts.ts)

Goal (issue 44): the first audio byte within ${GOAL_MS} ms of the answer. ${RUNS} runs per reply; replies are said sentence by sentence.

| engine | reply | audio s | first audio p50 ms | p95 ms | goal |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

if (process.argv[1]?.endsWith('tts.js')) process.stdout.write(await benchTts());
