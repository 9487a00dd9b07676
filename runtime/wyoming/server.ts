/**
 * The Wyoming server (config `wyoming`): TCP, loopback unless the user names another address, at most
 * `maxClients` connections (one more is told why and closed). Each connection is a WyomingSession; a client that
 * sends a broken stream gets an `error` event and is closed, one that vanishes mid-stream is cleaned up, and
 * neither touches the others or the hub.
 * Satellites that are servers themselves (wyoming-satellite listens, and Home Assistant connects to it) are reached
 * the other way: `satellites` lists them, the hub connects out, says `run-satellite`, and reconnects with backoff
 * when they go away; from then on the connection is the same session.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../log.js';
import { HearthError } from '../types/errors.js';
import { EventDecoder, encodeEvent, type WyomingEvent } from './protocol.js';
import { WyomingSession, type WyomingServices } from './session.js';

export interface WyomingServerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxClients: number;
  /** host:port of satellites to connect out to. */
  readonly satellites?: readonly string[];
}

const RECONNECT_MIN_MS = 1000;
const RECONNECT_MAX_MS = 30_000;

export class WyomingServer {
  private server: Server | undefined;
  private readonly sessions = new Map<Socket, WyomingSession>();
  private nextId = 1;
  private stopping = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly outgoing = new Set<Socket>();

  constructor(private readonly options: WyomingServerOptions, private readonly services: WyomingServices, private readonly log: Logger) {}

  /** The port it listens on (the configured one, or the one the system gave for port 0). */
  port = 0;

  get clients(): number {
    return this.sessions.size;
  }

  async start(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => reject(new HearthError('wyoming-listen-failed', 'environment',
        `The Wyoming server cannot listen on ${this.options.host}:${this.options.port} (${err.code ?? err.message}); set wyoming.port to a free port.`, { setting: 'wyoming.port' }, err)));
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : this.options.port;
    this.log.info({ host: this.options.host, port: this.port }, 'Wyoming server listening');
    for (const target of this.options.satellites ?? []) this.dial(target, RECONNECT_MIN_MS);
  }

  /** Connects out to a satellite server and keeps connecting while the hub runs. */
  private dial(target: string, delayMs: number): void {
    const m = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(target);
    if (!m) { this.log.error({ code: 'config-invalid', setting: 'wyoming.satellites' }, `wyoming.satellites: "${target}" is not host:port`); return; }
    const socket = connect(Number(m[2]), m[1]);
    this.outgoing.add(socket);
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      this.attach(socket, `wyoming-sat-${target.replace(/[^A-Za-z0-9]+/g, '-')}`);
      socket.write(encodeEvent({ type: 'run-satellite', data: {} }));
    });
    socket.once('close', () => {
      this.outgoing.delete(socket);
      if (this.stopping) return;
      const next = connected ? RECONNECT_MIN_MS : Math.min(RECONNECT_MAX_MS, delayMs * 2);
      if (!connected) this.log.debug({ target }, 'Wyoming satellite not reachable; trying again');
      const t = setTimeout(() => { this.timers.delete(t); this.dial(target, next); }, connected ? RECONNECT_MIN_MS : delayMs);
      this.timers.add(t);
    });
    socket.on('error', () => undefined); // followed by close, which retries
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const t of this.timers) clearTimeout(t);
    for (const socket of this.outgoing) socket.destroy();
    for (const socket of this.sessions.keys()) socket.destroy();
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private accept(socket: Socket): void {
    const send = (e: WyomingEvent) => { if (!socket.destroyed) socket.write(encodeEvent(e)); };
    if (this.sessions.size >= this.options.maxClients) {
      send({ type: 'error', data: { text: `Hearth serves ${this.options.maxClients} Wyoming clients at once (wyoming.maxClients)`, code: 'wyoming-too-many-clients' } });
      socket.end();
      return;
    }
    this.attach(socket, `wyoming-${this.nextId++}`);
  }

  private attach(socket: Socket, clientId: string): void {
    const send = (e: WyomingEvent) => { if (!socket.destroyed) socket.write(encodeEvent(e)); };
    const session = new WyomingSession(clientId, this.services, send);
    const decoder = new EventDecoder();
    this.sessions.set(socket, session);
    this.log.info({ clientId, peer: socket.remoteAddress }, 'Wyoming client connected');
    socket.on('data', (chunk: Buffer) => {
      let events: WyomingEvent[];
      try { events = decoder.push(chunk); } catch (err) {
        const h = err as HearthError;
        this.log.warn({ clientId, code: h.code }, h.message);
        send({ type: 'error', data: { text: h.message, code: h.code } });
        socket.end();
        socket.pause();
        return;
      }
      for (const e of events) session.receive(e);
    });
    const gone = () => {
      if (!this.sessions.delete(socket)) return;
      void session.close().catch((err: unknown) => this.log.warn({ clientId, code: 'wyoming-close-failed' }, (err as Error).message));
      this.log.info({ clientId }, 'Wyoming client disconnected');
    };
    socket.on('error', (err) => { this.log.debug({ clientId, err: err.message }, 'Wyoming socket error'); gone(); });
    socket.on('close', gone);
  }
}
