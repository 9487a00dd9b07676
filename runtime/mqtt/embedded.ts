/**
 * The embedded broker (aedes) for hubs without one of their own. It listens on loopback unless the
 * config says otherwise: nothing is exposed that was not asked for.
 */
import { createServer, type Server, type AddressInfo } from 'node:net';
import aedes from 'aedes';

// aedes is CommonJS: its factory is reached through the default export.
const { createBroker } = aedes;

import { HearthError } from '../types/errors.js';
import type { Logger } from '../log.js';

export class EmbeddedBroker {
  private broker: ReturnType<typeof createBroker> | undefined;
  private server: Server | undefined;
  port = 0;

  constructor(private readonly host: string, private readonly requestedPort: number, private readonly log: Logger) {}

  get url(): string {
    return `mqtt://${this.host.includes(':') ? `[${this.host}]` : this.host}:${this.port}`;
  }

  async start(): Promise<void> {
    const broker = createBroker();
    const server = createServer(broker.handle);
    this.broker = broker;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', (err: NodeJS.ErrnoException) => {
        reject(new HearthError('embedded-broker-listen-failed', 'environment',
          `The embedded MQTT broker could not listen on ${this.host}:${this.requestedPort} (${err.code ?? err.message}). Another broker may run there: set mqtt.url to use it, or embeddedBroker.port to another port.`,
          { host: this.host, port: this.requestedPort }, err));
      });
      server.listen(this.requestedPort, this.host, () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.log.info({ url: this.url }, 'embedded MQTT broker listening');
  }

  async stop(): Promise<void> {
    const { server, broker } = this;
    // Close the broker first: it disconnects clients, which lets the server's close complete.
    if (broker) await new Promise<void>((resolve) => broker.close(() => resolve()));
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
