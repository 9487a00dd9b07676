/** Defensive helpers for untrusted bridge payloads: every check names what was wrong. */
import { HearthError } from '../runtime/types/errors.js';

export type JsonObject = Record<string, unknown>;

/** Bridges publish megabyte-sized messages only by mistake or malice; refuse them early. */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

export function invalid(topic: string, why: string): HearthError {
  return new HearthError('payload-invalid', 'input', `Ignored message on ${topic}: ${why}`, { topic });
}

/**
 * A bridge's whole device list is far larger: zigbee2mqtt's bridge/devices is about 6 KB a device (468 KB for 80), and
 * real homes have 100-300 Zigbee devices.
 */
export const MAX_DEVICE_LIST_BYTES = 8 * 1024 * 1024;

export function parseJson(topic: string, payload: Buffer, maxBytes = MAX_PAYLOAD_BYTES): unknown {
  if (payload.length > maxBytes) throw invalid(topic, `payload of ${payload.length} bytes is larger than ${maxBytes}`);
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch {
    throw invalid(topic, 'payload is not valid JSON');
  }
}

export function parseObject(topic: string, payload: Buffer): JsonObject {
  const v = parseJson(topic, payload);
  if (!isObject(v)) throw invalid(topic, 'payload is not a JSON object');
  return v;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 && v.length <= 512 ? v : undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

/** A topic string safe to subscribe or publish to: no wildcards, no NUL, bounded length. */
export function safeTopic(v: unknown): string | undefined {
  const s = str(v);
  if (!s || s.includes('#') || s.includes('+') || s.includes('\u0000')) return undefined;
  return s;
}

export function text(payload: Buffer): string {
  return payload.length > MAX_PAYLOAD_BYTES ? '' : payload.toString('utf8').trim();
}

/** Normalises the many spellings of on/off that bridges use. */
export function onOff(v: unknown, on: unknown = 'ON', off: unknown = 'OFF'): 'on' | 'off' | undefined {
  if (v === on || v === true) return 'on';
  if (v === off || v === false) return 'off';
  if (typeof v === 'string') {
    const l = v.toLowerCase();
    if (l === 'on' || l === 'true' || l === '1') return 'on';
    if (l === 'off' || l === 'false' || l === '0') return 'off';
  }
  return undefined;
}
