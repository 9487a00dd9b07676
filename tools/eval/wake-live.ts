/**
 * `hearth wake-eval <natural-speech folder> --asr-check`: the wake words as the live hub hears them, the ASR's
 * confirmation included (wake.asrCheck, runtime/pipeline/wake-check.ts). Every clip streams through one real listener
 * (the configured words at once, 1.5 s of silence between clips); each detection is checked on the listener's last 2 s
 * of audio, as the hub does. Per word: real wake words found before and after the check, and false wakes on every
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

export async function liveWakeEval(config: HearthConfig, folder: string, log: Logger): Promise<{ firings: Firing[]; positives: Map<string, string[]> }> {
  const set = readNaturalSet(folder);
  const asr = createAsrEngine(config.asr.engine, { names: [], areas: [] }, asrSettingsOf(config), log);
  const listener = await createListener(config, log);
  const check = new WakeCheck(() => asr, { ...config.wake, asrCheck: true }, log);
  const heard: WakeEvent[] = [];
  listener.events.on('wake', (e) => { check.heard(e, () => listener.recentSpeech()); heard.push(e); });
  const framer = new Framer();
  await listener.offer(framer.push(new Int16Array(40_000))); // the wake models' warm-up (wake.warmupMs) passes in silence
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
  return { firings, positives };
}

export function liveWakeReport(r: Awaited<ReturnType<typeof liveWakeEval>>, engine: string): string {
  const words = [...new Set([...r.positives.keys(), ...r.firings.map((f) => f.word)])].sort();
  const confirmed = (f: Firing) => !f.verdict || f.verdict.confirmed;
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
