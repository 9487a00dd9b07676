/**
 * The hub's own MQTT API, every message typed, under `<mqtt.topicPrefix>/<hubId>/`:
 *   in:  say (text, or JSON {text, requestId, area, siteId, newSession}), devices/get ({requestId})
 *   out: reply (the answer as plain text), turn (the turn record, runtime/types/turn-record.schema.json),
 *        devices ({requestId, devices}), wake, utterance, asr/partial (JSON), refusals ({code: count}, retained),
 *        status ("online" | "offline", retained, the last will), timers (the active timers, retained),
 *        timer/finished (a timer that ended), lists/<list> (a list's items, retained)
 * Each message has a format and a parse; test/hub/api.test.ts round-trips every one. Parsers of what comes in never
 * throw: a bad request is a coded refusal.
 */
import type { TurnRecord } from '../pipeline/record.js';

export function hubTopics(prefix: string) {
  return {
    say: `${prefix}/say`, devicesGet: `${prefix}/devices/get`,
    reply: `${prefix}/reply`, turn: `${prefix}/turn`, devices: `${prefix}/devices`, wake: `${prefix}/wake`,
    utterance: `${prefix}/utterance`, asrPartial: `${prefix}/asr/partial`, refusals: `${prefix}/refusals`, status: `${prefix}/status`,
    timers: `${prefix}/timers`, timerFinished: `${prefix}/timer/finished`, lists: `${prefix}/lists`,
  } as const;
}

/** The longest text the say topic takes: a request, not a document. */
export const MAX_SAY_CHARS = 1000;
/** A siteId longer than this is cut: it names a satellite or a client, it is not a message. */
const MAX_SITE_ID_CHARS = 100;

export interface SayRequest {
  readonly text: string;
  readonly requestId?: string;
  readonly area?: string;
  readonly siteId?: string;
  /** Start a new conversation first (no follow-up of the last request). */
  readonly newSession?: boolean;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string };

const str = (o: Record<string, unknown>, k: string) => (typeof o[k] === 'string' ? o[k] : undefined);

/** A say payload: plain text, or a JSON object. Empty, too long, or broken JSON is refused with its code. */
export function parseSay(payload: Buffer | string): Parsed<SayRequest> {
  const raw = payload.toString();
  let req: SayRequest = { text: raw };
  if (raw.trimStart().startsWith('{')) {
    let o: Record<string, unknown>;
    try { o = JSON.parse(raw) as Record<string, unknown>; } catch { return { ok: false, code: 'say-invalid-json' }; }
    if (o === null || typeof o !== 'object') return { ok: false, code: 'say-invalid-json' };
    const requestId = str(o, 'requestId'), area = str(o, 'area'), siteId = str(o, 'siteId')?.slice(0, MAX_SITE_ID_CHARS);
    req = { text: str(o, 'text') ?? '', ...(requestId ? { requestId } : {}), ...(area ? { area } : {}), ...(siteId ? { siteId } : {}), ...(o['newSession'] === true ? { newSession: true } : {}) };
  }
  if (req.text.trim() === '') return { ok: false, code: 'say-empty' };
  if (req.text.length > MAX_SAY_CHARS) return { ok: false, code: 'say-too-long' };
  return { ok: true, value: req };
}

export const formatSay = (r: SayRequest): string => JSON.stringify(r);

export interface DevicesRequest { readonly requestId: string | null }

/** devices/get: an empty or plain payload is a request without an id. */
export function parseDevicesGet(payload: Buffer | string): DevicesRequest {
  try {
    const o = JSON.parse(payload.toString()) as Record<string, unknown>;
    return { requestId: o && typeof o === 'object' ? str(o, 'requestId') ?? null : null };
  } catch { return { requestId: null }; }
}

export const formatDevicesGet = (r: DevicesRequest): string => JSON.stringify(r.requestId ? { requestId: r.requestId } : {});

export interface DeviceSummary {
  readonly id: string;
  readonly name: string;
  readonly area: string | null;
  readonly domain: string;
  readonly adapter: string;
  readonly aliases: readonly string[];
  readonly capabilities: readonly string[];
  readonly available: boolean;
  readonly state: Readonly<Record<string, unknown>>;
}

export interface DevicesReply { readonly requestId: string | null; readonly devices: readonly DeviceSummary[] }

/** Wake, utterance and partial messages: what the listener on a site heard, as it heard it. */
export interface WakeMessage { readonly siteId: string; readonly wakeWord: string; readonly score: number; readonly atMs: number }
export interface UtteranceMessage { readonly siteId: string; readonly wakeWord: string; readonly startMs: number; readonly endMs: number; readonly endReason: string }
export interface PartialMessage { readonly siteId: string; readonly text: string }

export interface TimerSummary { readonly id: string; readonly siteId: string; readonly name: string | null; readonly durationMs: number; readonly leftMs: number; readonly paused: boolean }
export interface TimerFinishedMessage { readonly id: string; readonly siteId: string; readonly name: string | null; readonly durationMs: number; readonly endedAtMs: number }
export interface ListMessage { readonly list: string; readonly items: readonly { readonly item: string; readonly done: boolean }[] }

/** Messages the hub sends as JSON, and the type each topic carries. */
export interface JsonMessages {
  turn: TurnRecord;
  devices: DevicesReply;
  wake: WakeMessage;
  utterance: UtteranceMessage;
  asrPartial: PartialMessage;
  refusals: Readonly<Record<string, number>>;
  timers: { readonly timers: readonly TimerSummary[] };
  timerFinished: TimerFinishedMessage;
  list: ListMessage;
}

/** Keys each message always has: a payload without them is not that message. */
const REQUIRED: { readonly [K in keyof JsonMessages]: readonly string[] } = {
  turn: ['turnId', 'source', 'speech', 'outcome', 'stages'], devices: ['requestId', 'devices'], wake: ['siteId', 'wakeWord', 'score', 'atMs'],
  utterance: ['siteId', 'startMs', 'endMs', 'endReason'], asrPartial: ['siteId', 'text'], refusals: [],
  timers: ['timers'], timerFinished: ['id', 'siteId', 'durationMs', 'endedAtMs'], list: ['list', 'items'],
};

export const formatMessage = <K extends keyof JsonMessages>(_kind: K, m: JsonMessages[K]): string => JSON.stringify(m);

/** For clients (the CLI, tests): a message the hub sent, or undefined when the payload is not one. */
export function parseMessage<K extends keyof JsonMessages>(kind: K, payload: Buffer | string): JsonMessages[K] | undefined {
  try {
    const o = JSON.parse(payload.toString()) as unknown;
    if (o === null || typeof o !== 'object' || Array.isArray(o)) return undefined;
    return REQUIRED[kind].every((k) => k in o) ? (o as JsonMessages[K]) : undefined;
  } catch { return undefined; }
}

export type HubStatus = 'online' | 'offline';
export const parseStatus = (payload: Buffer | string): HubStatus | undefined => {
  const s = payload.toString();
  return s === 'online' || s === 'offline' ? s : undefined;
};
