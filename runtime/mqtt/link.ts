/**
 * The one MQTT client of the hub (after zigbee2mqtt's mqtt.ts): last will and retained
 * `<prefix>/<hubId>/status` online/offline, reconnect with capped exponential backoff,
 * resubscribe after reconnect, a bounded queue while the broker is away (oldest dropped and
 * counted), and no wildcard publishes. It never throws into the pipeline because the broker is gone.
 */
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient, type IClientOptions } from 'mqtt';
import { HearthError } from '../types/errors.js';
import type { Logger } from '../log.js';

export interface MqttLinkOptions {
  readonly url: string;
  readonly clientId: string;
  readonly statusTopic: string;
  readonly username?: string | null;
  readonly password?: string | null;
  readonly caFile?: string | null;
  readonly certFile?: string | null;
  readonly keyFile?: string | null;
  readonly rejectUnauthorized?: boolean;
  readonly keepaliveS?: number;
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  readonly offlineQueueMax?: number;
}

export type MessageHandler = (topic: string, payload: Buffer, retained: boolean) => void;

interface Queued { topic: string; payload: string | Buffer; qos: 0 | 1; retain: boolean; expiresAtMs: number }

/** sent: handed to the broker; queued: held until the broker is back (or its deadline passes); dropped: not sent, never will be. */
export type PublishResult = 'sent' | 'queued' | 'dropped';
export interface PublishOptions {
  readonly qos?: 0 | 1;
  readonly retain?: boolean;
  /** While the broker is away: held at most this long, then dropped and counted (a command must not arrive late). */
  readonly ttlMs?: number;
  /** While the broker is away: not held at all (an unlock must never go out later than it was asked for). */
  readonly noQueue?: boolean;
}

export class MqttLink {
  private client: MqttClient | undefined;
  private readonly subscriptions = new Set<string>();
  private readonly handlers = new Set<MessageHandler>();
  private readonly queue: Queued[] = [];
  private reconnectDelayMs: number;
  private stopped = false;
  /** Messages dropped because the offline queue was full. */
  droppedWhileOffline = 0;
  /** Messages dropped because the broker was away past their deadline, or they were not to be queued at all. */
  expiredWhileOffline = 0;

  constructor(private readonly options: MqttLinkOptions, private readonly log: Logger) {
    this.reconnectDelayMs = options.reconnectMinMs ?? 1000;
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** Connects and resolves once the first connection is up (or rejects with a clear error). */
  async start(firstConnectTimeoutMs = 10000): Promise<void> {
    const o = this.options;
    const opts: IClientOptions = {
      clientId: o.clientId,
      clean: true,
      keepalive: o.keepaliveS ?? 30,
      reconnectPeriod: 0, // we schedule reconnects ourselves, with backoff
      connectTimeout: firstConnectTimeoutMs,
      will: { topic: o.statusTopic, payload: Buffer.from('offline'), qos: 1, retain: true },
      ...(o.username ? { username: o.username } : {}),
      ...(o.password ? { password: o.password } : {}),
      rejectUnauthorized: o.rejectUnauthorized ?? true,
      ...(o.caFile ? { ca: readPem(o.caFile, 'mqtt.caFile') } : {}),
      ...(o.certFile ? { cert: readPem(o.certFile, 'mqtt.certFile') } : {}),
      ...(o.keyFile ? { key: readPem(o.keyFile, 'mqtt.keyFile') } : {}),
    };
    const client = mqtt.connect(o.url, opts);
    this.client = client;
    client.on('message', (topic, payload, packet) => {
      for (const h of this.handlers) {
        try {
          h(topic, payload, packet.retain);
        } catch (err) {
          this.log.error({ topic, err }, 'mqtt message handler failed');
        }
      }
    });
    client.on('error', (err) => this.log.warn({ err: err.message, url: o.url }, 'mqtt error'));
    client.on('connect', () => {
      this.reconnectDelayMs = o.reconnectMinMs ?? 1000;
      this.log.info({ url: o.url }, 'mqtt connected');
      client.publish(o.statusTopic, 'online', { qos: 1, retain: true });
      if (this.subscriptions.size > 0) client.subscribe([...this.subscriptions], { qos: 1 });
      this.flushQueue();
    });
    client.on('close', () => {
      if (this.stopped) return;
      const delay = this.reconnectDelayMs;
      this.reconnectDelayMs = Math.min(delay * 2, o.reconnectMaxMs ?? 30000);
      this.log.warn({ url: o.url, retryInMs: delay }, 'mqtt connection lost; will reconnect');
      setTimeout(() => { if (!this.stopped && !client.connected) client.reconnect(); }, delay).unref();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new HearthError('mqtt-connect-failed', 'environment', `Could not connect to the MQTT broker at ${o.url} within ${firstConnectTimeoutMs} ms. Check mqtt.url, that the broker runs, and mqtt.username/password.`, { url: o.url }));
      }, firstConnectTimeoutMs);
      client.once('connect', () => { clearTimeout(timer); resolve(); });
    });
  }

  onMessage(handler: MessageHandler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  subscribe(filter: string): void {
    if (this.subscriptions.has(filter)) return;
    this.subscriptions.add(filter);
    if (this.client?.connected) this.client.subscribe(filter, { qos: 1 });
  }

  unsubscribe(filter: string): void {
    if (!this.subscriptions.delete(filter)) return;
    if (this.client?.connected) this.client.unsubscribe(filter);
  }

  /** Publishes now, or queues while the broker is away (until the message's deadline, if it has one). */
  publish(topic: string, payload: string | Buffer, opts: PublishOptions = {}): PublishResult {
    if (topic.includes('+') || topic.includes('#') || topic.length === 0) {
      this.log.error({ topic }, 'refusing to publish to a wildcard or empty topic');
      return 'dropped';
    }
    const msg: Queued = { topic, payload, qos: opts.qos ?? 1, retain: opts.retain ?? false, expiresAtMs: opts.ttlMs !== undefined ? Date.now() + opts.ttlMs : Infinity };
    if (this.client?.connected) {
      this.client.publish(msg.topic, msg.payload, { qos: msg.qos, retain: msg.retain });
      return 'sent';
    }
    if (opts.noQueue || opts.ttlMs === 0) {
      this.expiredWhileOffline++;
      return 'dropped';
    }
    const max = this.options.offlineQueueMax ?? 500;
    this.queue.push(msg);
    while (this.queue.length > max) {
      this.queue.shift();
      this.droppedWhileOffline++;
    }
    return 'queued';
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  private flushQueue(): void {
    const now = Date.now();
    while (this.queue.length > 0 && this.client?.connected) {
      const m = this.queue.shift()!;
      if (m.expiresAtMs < now) {
        this.expiredWhileOffline++;
        this.log.warn({ topic: m.topic, code: 'mqtt-command-expired' }, 'not sent: the broker came back after the message\'s deadline');
        continue;
      }
      this.client.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain });
    }
  }

  /**
   * Says offline and disconnects. Bounded in time: with the broker gone a QoS 1 publish is never
   * acknowledged, and the hub must still stop when asked (Ctrl-C, systemd).
   */
  async stop(timeoutMs = 1500): Promise<void> {
    this.stopped = true;
    const client = this.client;
    if (!client) return;
    let clean = false;
    if (client.connected) {
      clean = await withTimeout(new Promise<boolean>((resolve) => {
        client.publish(this.options.statusTopic, 'offline', { qos: 1, retain: true }, (err) => resolve(!err));
      }), timeoutMs, false);
    }
    // Forced when the broker did not answer: nothing more can be delivered anyway.
    await withTimeout(client.endAsync(!clean).then(() => true), timeoutMs, false);
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    p.then((v) => { clearTimeout(timer); resolve(v); }, () => { clearTimeout(timer); resolve(fallback); });
  });
}

function readPem(path: string, setting: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new HearthError('mqtt-tls-file-unreadable', 'config', `Cannot read ${setting} file ${path}: ${(err as Error).message}`, { path, setting }, err);
  }
}
