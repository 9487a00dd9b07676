/**
 * The hub on its broker: the one MQTT link, the bridge adapters reading and commanding devices through it, and the
 * hub's own API topics (api.ts) routed to the hub. Hearth's own topics are never read as device messages, never
 * subscribed for a bridge and never commanded: a discovery config pointing at them would feed the hub its own output.
 */
import type { HearthConfig } from '../config/config.js';
import type { Logger } from '../log.js';
import { HearthError } from '../types/errors.js';
import type { Device, DeviceOperation } from '../types/device.js';
import type { DeviceCommand } from '../types/pipeline.js';
import { MqttLink, type PublishOptions, type PublishResult } from '../mqtt/link.js';
import type { DeviceRegistry } from '../../device-adapters/registry.js';
import { createAdapters, type DeviceAdapter } from '../../device-adapters/index.js';
import type { Component } from './components.js';
import { formatMessage, hubTopics, parseDevicesGet, type DevicesReply } from './api.js';

export interface MessageHandler { readonly id: string; handle(topic: string, payload: Buffer): boolean }

export interface HubMqttHooks {
  /** The broker's URL once it is known (the embedded one listens first). */
  readonly brokerUrl: () => string;
  /** A message on the say topic. */
  readonly onSay: (payload: Buffer) => void;
  /** Input refused, by code (counted by the hub). */
  readonly refuse: (code: string, topic: string, detail?: string) => void;
}

export class HubMqtt implements Component {
  readonly name = 'mqtt';
  private link: MqttLink | undefined;
  private adapters: DeviceAdapter[] = [];
  /** Who reads inbound device messages, in order: satellites' audio (when on), then the bridge adapters. */
  private handlers: readonly MessageHandler[] = [];
  /** Who reads commands sent to the hub's own API (Home Assistant's switch, select, button). */
  private readonly apiHandlers: MessageHandler[] = [];
  readonly topics: ReturnType<typeof hubTopics>;

  constructor(private readonly config: Pick<HearthConfig, 'hubId' | 'mqtt' | 'adapters'>, private readonly registry: DeviceRegistry, private readonly log: Logger, private readonly hooks: HubMqttHooks) {
    this.topics = hubTopics(`${config.mqtt.topicPrefix}/${config.hubId}`);
  }

  async start(): Promise<void> {
    const c = this.config;
    const link = (this.link = new MqttLink({
      url: this.hooks.brokerUrl(), clientId: c.mqtt.clientId ?? `hearth-${c.hubId}-${process.pid}`, statusTopic: this.topics.status,
      username: c.mqtt.username, password: c.mqtt.password, caFile: c.mqtt.caFile, certFile: c.mqtt.certFile, keyFile: c.mqtt.keyFile,
      rejectUnauthorized: c.mqtt.rejectUnauthorized, keepaliveS: c.mqtt.keepaliveS, reconnectMinMs: c.mqtt.reconnectMinMs,
      reconnectMaxMs: c.mqtt.reconnectMaxMs, offlineQueueMax: c.mqtt.offlineQueueMax,
    }, this.log.child({ module: 'mqtt' })));
    this.adapters = createAdapters(c.adapters, { hubId: c.hubId });
    const ctx = {
      registry: this.registry, unsubscribe: (f: string) => link.unsubscribe(f),
      subscribe: (f: string) => { if (this.ownTopic(f)) this.hooks.refuse('adapter-own-topic', f); else link.subscribe(f); },
      refuse: (code: string, topic: string, detail: string) => this.hooks.refuse(code, topic, detail),
      publish: (t: string, p: string) => { link.publish(t, p, { qos: 0 }); }, log: this.log.child({ module: 'adapters' }),
    };
    for (const a of this.adapters) a.start(ctx);
    this.handlers = this.adapters;
    link.subscribe(this.topics.say);
    link.subscribe(this.topics.devicesGet);
    link.onMessage((topic, payload) => this.onMessage(topic, payload));
    await link.start();
  }

  async stop(): Promise<void> {
    await this.link?.stop();
  }

  get connected(): boolean {
    return this.link?.connected ?? false;
  }

  publish(topic: string, payload: string | Buffer, opts: PublishOptions): PublishResult {
    return this.link?.publish(topic, payload, opts) ?? 'dropped';
  }

  subscribe(filter: string): void {
    this.link?.subscribe(filter);
  }

  /** Another reader of device messages, ahead of the bridges (the satellites' audio). */
  addHandler(h: MessageHandler): void {
    this.handlers = [h, ...this.handlers];
  }

  /** A handler of this hub's own API topics (under <prefix>/<hubId>/), never of a device's. */
  addApiHandler(h: MessageHandler): void {
    this.apiHandlers.push(h);
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic === this.topics.say) { this.hooks.onSay(payload); return; }
    if (topic === this.topics.devicesGet) { this.publishDevices(payload); return; }
    // A bridge's wildcard ("+/status/+") may match Hearth's own topics: those are never device messages.
    if (this.ownTopic(topic)) {
      for (const h of this.apiHandlers) if (topic.startsWith(`${this.config.mqtt.topicPrefix}/${this.config.hubId}/`) && h.handle(topic, payload)) return;
      return;
    }
    for (const h of this.handlers) {
      try {
        if (h.handle(topic, payload)) return;
      } catch (err) {
        const e = err instanceof HearthError ? err : new HearthError('adapter-failed', 'bug', (err as Error).message);
        this.hooks.refuse(e.code, topic, e.message); // counted every time, logged once per topic: garbage must not flood the log
        return;
      }
    }
  }

  /** Answers `devices/get` with the registry as the hub sees it (what `hearth devices` prints). */
  private publishDevices(payload: Buffer): void {
    const reply: DevicesReply = {
      requestId: parseDevicesGet(payload).requestId,
      devices: this.registry.all().map(({ device: d, state }) => ({
        id: d.id, name: d.name, area: d.area ?? null, domain: d.domain, adapter: d.adapter, aliases: d.aliases,
        capabilities: Object.keys(d.capabilities), available: state.available, state: state.values,
      })),
    };
    this.publish(this.topics.devices, formatMessage('devices', reply), { qos: 1 });
  }

  /** The commands for an operation, in the device's bridge's own format; never to Hearth's own topics. */
  buildCommands(device: Device, op: DeviceOperation): DeviceCommand[] {
    const adapter = this.adapters.find((a) => a.id === device.adapter);
    if (!adapter) throw new HearthError('adapter-missing', 'config', `The ${device.adapter} adapter is disabled, so ${device.name} cannot be controlled. Enable adapters.${device.adapter}.`);
    const commands = adapter.commands(device, op);
    const own = commands.find((c) => this.ownTopic(c.topic));
    if (own) {
      this.hooks.refuse('command-own-topic', own.topic);
      throw new HearthError('command-own-topic', 'input', `The ${device.name}'s command topic ${own.topic} is one of Hearth's own topics, so I did not send it. Fix the device's configuration.`, { topic: own.topic });
    }
    return commands;
  }

  /** Topics under mqtt.topicPrefix (every Hearth hub's), or a filter that takes them all. */
  private ownTopic(t: string): boolean {
    const p = this.config.mqtt.topicPrefix;
    return t === p || t.startsWith(`${p}/`) || t === '#';
  }
}
