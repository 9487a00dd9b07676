/**
 * `hearth asr-eval <natural-speech folder>`: what a person in that home would notice. A real hub (embedded broker, the
 * set's home.yaml published retained, a fresh database) answers each request twice: as typed text (the reference) and
 * as the engine heard the recording. A request is one the home can carry out when its typed text gets an action, an
 * answer or a question (the PIN) from the hub. Counted per category:
 * - doable requests: the transcript word for word, and the same turn as typed (intent, slots, commands, reply);
 * - everything else (requests the home cannot do, negatives, a wake word alone): accepted as a command when the hub
 *   would act on, answer or ask about what the engine heard; sensitive when that is a PIN question or a lock, alarm,
 *   garage door or gate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mqtt from 'mqtt';
import type { HearthConfig } from '../../runtime/config/config.js';
import { loadConfig } from '../../runtime/config/load.js';
import { silentLogger } from '../../runtime/log.js';
import { EmbeddedBroker } from '../../runtime/mqtt/embedded.js';
import { Hub } from '../../runtime/hub/hub.js';
import type { TurnResult } from '../../runtime/types/pipeline.js';
import { normalize } from '../../runtime/nlu/normalize.js';
import { Framer } from '../../runtime/audio/framer.js';
import { readWav16k } from '../../runtime/audio/wav.js';
import { createAsrEngine, type AsrSettings } from '../../runtime/asr/engines.js';
import { homeWordsOf } from '../../runtime/asr/home-words.js';
import type { Transcript } from '../../runtime/asr/engine.js';
import { wordErrors } from './asr.js';
import { needsConfirmation } from '../../runtime/asr/uncertain.js';
import { isSensitiveDevice } from '../../runtime/policy/sensitive.js';
import type { NaturalClip, NaturalSet } from './natural-set.js';

/** Outcomes in which the hub took a request as one it can carry out. */
const ACTS: ReadonlySet<string> = new Set(['action-done', 'answered', 'asked']);

export interface NaturalClipResult {
  readonly id: string;
  readonly category: string;
  /** commands the home can carry out; `other` for everything that should not become a command. */
  readonly kind: 'doable' | 'other';
  readonly said: string;
  readonly heard: string | null;
  /** The top hypothesis's confidence (0 when rejected). */
  readonly confidence: number;
  readonly exact: boolean;
  readonly sameTurn: boolean;
  readonly accepted: boolean;
  /** The hub asked "Did you say ...?" instead of acting (asr.<engine>ConfirmBelow, or rival hypotheses with the opposite action). */
  readonly confirmAsked: boolean;
  readonly sensitive: boolean;
  readonly audioMs: number;
  readonly processMs: number;
  /** Share of the amortized model's block compute skipped (0 for other engines). */
  readonly skippedShare: number;
}

export interface NaturalAsrReport {
  readonly engine: string;
  readonly clips: readonly NaturalClipResult[];
  readonly doable: number;
  readonly exact: number;
  readonly sameTurn: number;
  readonly others: number;
  readonly accepted: number;
  readonly acceptedSensitive: number;
  /** Other clips the hub asked about ("Did you say ...?") instead of acting. */
  readonly othersConfirmAsked: number;
  readonly wordErrors: number;
  readonly referenceWords: number;
  readonly audioMs: number;
  readonly processMs: number;
  /** Block compute skipped over all clips, weighted by their length. */
  readonly skippedShare: number;
}

/** The turn a person would notice: what was understood, what went out, what was said back. */
function turnKey(r: TurnResult): string {
  return JSON.stringify([r.intent ?? null, r.slots ?? null, r.commands.map((c) => [c.topic, c.payload]), r.response.speech]);
}

function isSensitiveTurn(hub: Hub, r: TurnResult): boolean {
  if (r.stages.some((s) => s.stage === 'policy' && (s.output as { kind?: string } | undefined)?.kind === 'needs-pin')) return true;
  return r.commands.some((c) => { const d = hub.registry.get(c.deviceId)?.device; return d !== undefined && isSensitiveDevice(d); });
}

async function transcribeClip(engine: ReturnType<typeof createAsrEngine>, audio: string): Promise<Transcript> {
  const s = engine.start();
  const framer = new Framer();
  // Clips are cut as published, some right after the last word: half a second of silence lets both engines close.
  const { samples } = readWav16k(audio);
  const padded = new Int16Array(samples.length + 8000);
  padded.set(samples);
  for (const f of [...framer.push(padded), ...framer.flush()]) await s.push(f);
  return s.finish();
}

/** A hub for the set's home, on its own embedded broker and a fresh database; `stop` removes them. */
export async function naturalHub(set: NaturalSet, base: HearthConfig): Promise<{ hub: Hub; stop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hearth-natural-'));
  const broker = new EmbeddedBroker('127.0.0.1', 0, silentLogger);
  await broker.start();
  const client = await mqtt.connectAsync(broker.url, { clientId: `hearth-natural-${process.pid}` });
  for (const m of set.home.messages) await client.publishAsync(m.topic, typeof m.payload === 'string' ? m.payload : JSON.stringify(m.payload), { retain: true, qos: 1 });
  await client.endAsync();
  const config = loadConfig({ env: {}, overrides: {
    hubId: `natural${process.pid}`, dataDir, demo: false, mqtt: { url: broker.url }, asr: { engine: 'none' }, audio: { source: 'none' },
    areas: { ...base.areas, ...set.home.areas }, ...(set.home.area ? { area: set.home.area } : {}), ...(set.home.pin ? { pin: set.home.pin } : {}),
  } });
  const hub = new Hub(config, silentLogger);
  await hub.start();
  for (let i = 0; i < 100 && hub.lexicon().devices.length === 0; i++) await sleep(20); // the retained home arrives
  await sleep(200);
  return { hub, stop: async () => { await hub.stop(); await broker.stop(); rmSync(dataDir, { recursive: true, force: true }); } };
}

/** `confirmBelow`: the engine's asr.<engine>ConfirmBelow, so the spoken turn is the one the hub would take. */
export async function evaluateNatural(set: NaturalSet, engineId: string, settings: AsrSettings, hub: Hub, confirmBelow = 0): Promise<NaturalAsrReport> {
  const engine = createAsrEngine(engineId, homeWordsOf(hub.lexicon()), settings);
  const clips: NaturalClipResult[] = [];
  const turn = (text: string, confirm = false) => { hub.newSession(); return hub.say(text, { confirm }); };
  try {
    for (const clip of set.clips) clips.push(await judge(clip));
  } finally { await engine.stop(); }

  async function judge(clip: NaturalClip): Promise<NaturalClipResult> {
    const reference = clip.category === 'commands' ? turn(clip.said) : undefined;
    const kind = reference && ACTS.has(reference.response.outcome) ? 'doable' : 'other';
    const t = await transcribeClip(engine, clip.audio);
    const heard = t.rejected || t.hypotheses.length === 0 ? null : t.hypotheses[0]!.text;
    const spoken = heard === null ? undefined : turn(heard, needsConfirmation(t, confirmBelow));
    const confirmAsked = spoken?.errorCode === 'asr-confirm';
    const accepted = spoken !== undefined && ACTS.has(spoken.response.outcome) && !confirmAsked;
    return {
      id: clip.id, category: clip.category, kind, said: clip.said, heard, confidence: heard === null ? 0 : t.hypotheses[0]!.confidence,
      exact: kind === 'doable' && heard !== null && normalize(heard) === normalize(clip.said),
      sameTurn: kind === 'doable' && spoken !== undefined && turnKey(spoken) === turnKey(reference!),
      accepted, confirmAsked, sensitive: accepted && isSensitiveTurn(hub, spoken!),
      audioMs: t.computeStats.audioMs, processMs: t.computeStats.processMs, skippedShare: t.computeStats.skippedShare ?? 0,
    };
  }

  const doable = clips.filter((c) => c.kind === 'doable'), others = clips.filter((c) => c.kind === 'other');
  let we = 0, rw = 0;
  for (const c of doable) { const ref = normalize(c.said); we += wordErrors(ref, c.heard === null ? '' : normalize(c.heard)); rw += ref.split(' ').length; }
  return {
    engine: engineId, clips, doable: doable.length, exact: doable.filter((c) => c.exact).length, sameTurn: doable.filter((c) => c.sameTurn).length,
    others: others.length, accepted: others.filter((c) => c.accepted).length, acceptedSensitive: others.filter((c) => c.sensitive).length,
    othersConfirmAsked: others.filter((c) => c.confirmAsked).length,
    wordErrors: we, referenceWords: rw, audioMs: clips.reduce((a, c) => a + c.audioMs, 0), processMs: clips.reduce((a, c) => a + c.processMs, 0),
    skippedShare: clips.reduce((a, c) => a + c.skippedShare * c.audioMs, 0) / Math.max(1, clips.reduce((a, c) => a + c.audioMs, 0)),
  };
}

const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;

/** The report as markdown: the two numbers per engine, then every clip (what was said, what was heard). */
export function naturalReport(set: NaturalSet, reports: readonly NaturalAsrReport[]): string {
  const head = `| engine | doable requests: exact | same turn as typed | WER | other clips accepted as commands | of them sensitive | others asked about | real-time factor |
|---|---|---|---|---|---|---|---|
${reports.map((r) => `| ${r.engine} | ${r.exact}/${r.doable} (${pct(r.exact, r.doable)}) | ${r.sameTurn}/${r.doable} (${pct(r.sameTurn, r.doable)}) | ${pct(r.wordErrors, r.referenceWords)} | ${r.accepted}/${r.others} (${pct(r.accepted, r.others)}) | ${r.acceptedSensitive} | ${r.othersConfirmAsked} | ${(r.processMs / Math.max(1, r.audioMs)).toFixed(4)} |`).join('\n')}`;
  const byCategory = reports.map((r) => {
    const cats = [...new Set(r.clips.map((c) => `${c.category}:${c.kind}`))];
    return `- ${r.engine}: ${cats.map((k) => { const cs = r.clips.filter((c) => `${c.category}:${c.kind}` === k); return k.endsWith(':doable') ? `${k} ${cs.filter((c) => c.sameTurn).length}/${cs.length} right` : `${k} ${cs.filter((c) => c.accepted).length}/${cs.length} accepted`; }).join(', ')}`;
  });
  const rows = set.clips.map((clip, i) => `| ${clip.id} | ${reports[0]!.clips[i]!.kind} | ${clip.said} | ${reports.map((r) => { const c = r.clips[i]!; return `${c.heard === null ? '(rejected)' : `${c.heard} ${c.confidence.toFixed(3)}`}${c.confirmAsked ? ' (asked)' : ''}${c.kind === 'doable' ? (c.sameTurn ? ' ✓' : ' ✗') : c.accepted ? ' ✗ accepted' : ''}`; }).join(' | ')} |`);
  return `${head}

Data: ${set.folder} (${set.clips.length} clips of real people). Doable: requests whose typed text the hub carries out, answers or asks about in this home.
Spoken turns as the hub takes them: a request it is unsure of gets "Did you say ...?" (asked), which is neither accepted nor the same turn.
By category (category:kind):
${byCategory.join('\n')}

| clip | kind | said | ${reports.map((r) => r.engine).join(' | ')} |
|---|---|---|${reports.map(() => '---|').join('')}
${rows.join('\n')}
`;
}
