/**
 * `hearth wake-eval <natural-speech folder> --asr-check`: the wake words as the live hub hears them, the ASR's
 * confirmation included (wake.asrCheck, runtime/pipeline/wake-check.ts). Every clip streams through one real listener
 * (the configured words at once, 1.5 s of silence between clips); each detection is checked on the audio the word was
 * said in, as the hub does. Per word: real wake words found before and after the check, and false wakes on every
 * other clip before and after it.
 */
import type { HearthConfig } from '../../runtime/config/config.js';
import type { Logger } from '../../runtime/log.js';
import { Framer } from '../../runtime/audio/framer.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { createListener } from '../../runtime/pipeline/listen.js';
import { WakeCheck, type WakeVerdict } from '../../runtime/pipeline/wake-check.js';
import { asrSettingsOf, createAsrEngine } from '../../runtime/asr/engines.js';
import type { WakeEvent } from '../../runtime/types/audio.js';
import { readNaturalSet, wakeWordOf } from './natural-set.js';

interface Firing { readonly clip: string; readonly positive: boolean; readonly word: string; readonly verdict: WakeVerdict | undefined }
export interface LiveWakeRun { readonly firings: Firing[]; readonly positives: Map<string, string[]>; readonly shiftMs: number }

/** `shiftMs`: more silence before the first clip, so every clip meets the 80 ms frames at another offset. */
export async function liveWakeEval(config: HearthConfig, folder: string, log: Logger, shiftMs = 0): Promise<LiveWakeRun> {
  const set = readNaturalSet(folder);
  const asr = createAsrEngine(config.asr.engine, { names: [], areas: [] }, asrSettingsOf(config), log);
  const listener = await createListener(config, log);
  const check = new WakeCheck(() => asr, { ...config.wake, asrCheck: true }, log);
  const heard: WakeEvent[] = [];
  listener.events.on('wake', (e) => { check.heard(e, (leadMs) => listener.recentSpeech(leadMs)); heard.push(e); });
  const framer = new Framer();
  // The wake models' warm-up (wake.warmupMs) passes in silence.
  await listener.offer(framer.push(new Int16Array(40_000 + Math.round((shiftMs * 16_000) / 1000))));
  const firings: Firing[] = [];
  const positives = new Map<string, string[]>();
  for (const clip of set.clips) {
    const word = clip.category === 'wake' ? wakeWordOf(clip.said) : undefined;
    if (word) positives.set(word, [...(positives.get(word) ?? []), clip.id]);
    await listener.offer([...framer.push(readWav16k(clip.audio).samples), ...framer.push(new Int16Array(24_000))]);
    await listener.drain();
    for (const e of heard.splice(0)) firings.push({ clip: clip.id, positive: e.wakeWordId === word, word: e.wakeWordId, verdict: await check.verdict(e) });
  }
  await listener.finish();
  await listener.stop();
  await asr.stop();
  return { firings, positives, shiftMs };
}

const confirmed = (f: Firing) => !f.verdict || f.verdict.confirmed;

/** One line per run at another alignment: how much the verdicts depend on where the frames fall. */
export function liveWakeShifts(runs: readonly LiveWakeRun[]): string {
  const rows = runs.map((r) => {
    const pos = [...r.positives.values()].reduce((a, v) => a + v.length, 0);
    const kept = new Set(r.firings.filter((f) => f.positive && confirmed(f)).map((f) => f.clip));
    const fa = r.firings.filter((f) => !f.positive);
    const lost = [...new Set(r.firings.filter((f) => f.positive && !confirmed(f)).map((f) => f.clip))].filter((c) => !kept.has(c));
    return `| ${r.shiftMs} | ${kept.size} of ${pos} | ${fa.filter(confirmed).length} of ${fa.length} | ${lost.join(', ') || '-'} |`;
  });
  return `\n## The same at other alignments (silence before the first clip lengthened)\n
| shift (ms) | wake words found and confirmed | false wakes confirmed | wake words the check vetoed |
|---|---|---|---|
${rows.join('\n')}
`;
}

export function liveWakeReport(r: LiveWakeRun, engine: string): string {
  const words = [...new Set([...r.positives.keys(), ...r.firings.map((f) => f.word)])].sort();
  const rows = words.map((w) => {
    const pos = r.positives.get(w) ?? [];
    const found = new Set(r.firings.filter((f) => f.positive && f.word === w).map((f) => f.clip));
    const kept = new Set(r.firings.filter((f) => f.positive && f.word === w && confirmed(f)).map((f) => f.clip));
    const fa = r.firings.filter((f) => !f.positive && f.word === w);
    return `| ${w} | ${found.size} of ${pos.length} | ${kept.size} of ${pos.length} | ${fa.length} | ${fa.filter(confirmed).length} |`;
  });
  const each = r.firings.map((f) => `| ${f.clip} | ${f.word} | ${f.positive ? 'wake word' : 'false wake'} | ${f.verdict ? f.verdict.confidence.toFixed(2) : 'not checked'} | ${confirmed(f) ? 'acts' : 'ignored'} |`);
  return `\n## Live, with the ASR's check (asr.engine: ${engine})\n
| word | found | found and confirmed | false wakes | false wakes confirmed |
|---|---|---|---|---|
${rows.join('\n')}

| clip | word | what it was | ASR confidence | the hub |
|---|---|---|---|---|
${each.join('\n')}
`;
}
