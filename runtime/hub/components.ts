/**
 * The hub as an ordered list of components (zigbee2mqtt's extensions): started in order, stopped in reverse, each
 * failure logged with the component's name. A component that fails to start is stopped with the ones before it, and
 * the hub does not start half-built.
 */
import type { Logger } from '../log.js';

export interface Component {
  readonly name: string;
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
}

export class Components {
  private started: Component[] = [];

  constructor(private readonly log: Logger) {}

  async start(list: readonly Component[]): Promise<void> {
    for (const c of list) {
      try {
        await c.start();
        this.started.push(c);
      } catch (err) {
        this.log.error({ component: c.name, code: (err as { code?: string }).code ?? 'component-start-failed' }, `${c.name} could not start: ${(err as Error).message}`);
        this.started.push(c); // what it did start (a server half-open, a timer) is undone with the rest
        await this.stop();
        throw err;
      }
    }
  }

  /** Stops what started, last first; one that fails to stop is logged and the rest still stop. */
  async stop(): Promise<void> {
    for (const c of this.started.reverse()) {
      try { await c.stop(); } catch (err) {
        this.log.error({ component: c.name, code: 'component-stop-failed' }, `${c.name} did not stop cleanly: ${(err as Error).message}`);
      }
    }
    this.started = [];
  }

  /** The names of the running components, in start order. */
  get names(): readonly string[] {
    return this.started.map((c) => c.name);
  }
}

/** A component from two functions. */
export const component = (name: string, start: () => Promise<void> | void, stop: () => Promise<void> | void = () => undefined): Component => ({ name, start, stop });
