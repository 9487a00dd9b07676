/**
 * The Wyoming wire format (OHF-Voice/wyoming, the protocol of Home Assistant's voice pipeline): each event is one
 * JSON header line `{"type", "version", "data_length"?, "payload_length"?}` (data may also sit in the header), then
 * `data_length` bytes of JSON data, then `payload_length` bytes of payload (audio). The decoder takes bytes as TCP
 * delivers them and refuses what no peer sends: a header over 64 KiB, data over 1 MiB, a payload over 4 MiB,
 * JSON that is not an object. Its errors carry the `wyoming-malformed` code; the connection then ends.
 */
import { HearthError } from '../types/errors.js';

export interface WyomingEvent {
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly payload?: Buffer;
}

/** The protocol version Hearth speaks (the vendored client library's). */
export const WYOMING_VERSION = '1.9.0';

const MAX_HEADER_BYTES = 64 * 1024;
const MAX_DATA_BYTES = 1024 * 1024;
const MAX_PAYLOAD_BYTES = 4 * 1024 * 1024;

const malformed = (why: string) => new HearthError('wyoming-malformed', 'input', `Wyoming stream: ${why}`);

export function encodeEvent(e: WyomingEvent): Buffer {
  const header: Record<string, unknown> = { type: e.type, version: WYOMING_VERSION };
  const data = Object.keys(e.data).length > 0 ? Buffer.from(JSON.stringify(e.data), 'utf8') : undefined;
  if (data) header['data_length'] = data.length;
  if (e.payload?.length) header['payload_length'] = e.payload.length;
  return Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), ...(data ? [data] : []), ...(e.payload?.length ? [e.payload] : [])]);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function length(header: Record<string, unknown>, key: string, max: number): number {
  const v = header[key];
  if (v === undefined || v === null) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw malformed(`${key} is not a byte count`);
  if (v > max) throw malformed(`${key} ${v} is over the ${max} bytes Hearth takes`);
  return v;
}

/** Bytes in, events out; throws `wyoming-malformed` on a stream no Wyoming peer would send. */
export class EventDecoder {
  private buffered: Buffer = Buffer.alloc(0);
  private pending: { type: string; data: Record<string, unknown>; dataLength: number; payloadLength: number } | undefined;

  push(chunk: Buffer): WyomingEvent[] {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const out: WyomingEvent[] = [];
    for (;;) {
      if (!this.pending) {
        const nl = this.buffered.indexOf(10);
        if (nl < 0) {
          if (this.buffered.length > MAX_HEADER_BYTES) throw malformed(`no end of line in the first ${MAX_HEADER_BYTES} bytes of an event header`);
          return out;
        }
        if (nl > MAX_HEADER_BYTES) throw malformed(`an event header of ${nl} bytes`);
        const line = this.buffered.subarray(0, nl).toString('utf8');
        this.buffered = this.buffered.subarray(nl + 1);
        if (line.trim() === '') continue;
        let header: unknown;
        try { header = JSON.parse(line); } catch { throw malformed('an event header that is not JSON'); }
        if (!isObject(header) || typeof header['type'] !== 'string' || header['type'] === '') throw malformed('an event header without a type');
        const inline = header['data'];
        if (inline !== undefined && inline !== null && !isObject(inline)) throw malformed(`event ${header['type']}: data is not an object`);
        this.pending = { type: header['type'], data: { ...(inline ?? {}) }, dataLength: length(header, 'data_length', MAX_DATA_BYTES), payloadLength: length(header, 'payload_length', MAX_PAYLOAD_BYTES) };
      }
      const p = this.pending;
      if (this.buffered.length < p.dataLength + p.payloadLength) return out;
      if (p.dataLength > 0) {
        let data: unknown;
        try { data = JSON.parse(this.buffered.subarray(0, p.dataLength).toString('utf8')); } catch { throw malformed(`event ${p.type}: its data is not JSON`); }
        if (!isObject(data)) throw malformed(`event ${p.type}: its data is not an object`);
        Object.assign(p.data, data);
      }
      const payload = p.payloadLength > 0 ? Buffer.from(this.buffered.subarray(p.dataLength, p.dataLength + p.payloadLength)) : undefined;
      this.buffered = this.buffered.subarray(p.dataLength + p.payloadLength);
      this.pending = undefined;
      out.push({ type: p.type, data: p.data, ...(payload ? { payload } : {}) });
    }
  }
}
