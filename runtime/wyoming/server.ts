/**
 * The Wyoming server (config `wyoming`): TCP, loopback unless the user names another address, at most
 * `maxClients` connections (one more is told why and closed). Each connection is a WyomingSession; a client that
 * sends a broken stream gets an `error` event and is closed, one that vanishes mid-stream is cleaned up, and
 * neither touches the others or the hub.
 */
import { createServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../log.js';
import { HearthError } from '../types/errors.js';
import { EventDecoder, encodeEvent, type WyomingEvent } from './protocol.js';
import { WyomingSession, type WyomingServices } from './session.js';

export interface WyomingServerOptions { readonly host: string; readonly port: number; readonly maxClients: number }

export class WyomingServer {
  private server: Server | undefined;
  private readonly sessions = new Map<Socket, WyomingSession>();
  private nextId = 1;

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
  }

  async stop(): Promise<void> {
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
    const clientId = `wyoming-${this.nextId++}`;
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
