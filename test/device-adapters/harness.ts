/** Feeds MQTT messages to one adapter and a real registry, recording what it subscribes and publishes. */
import { DeviceRegistry } from '../../device-adapters/registry.js';
import type { DeviceAdapter } from '../../device-adapters/adapter.js';
import { silentLogger } from '../../runtime/log.js';

export function harness(adapter: DeviceAdapter, config = { areas: {}, floors: {}, aliases: {} }, refuse?: (code: string, topic: string, detail: string) => void) {
  const registry = new DeviceRegistry(config, silentLogger);
  const subscriptions = new Set<string>();
  const published: { topic: string; payload: string }[] = [];
  adapter.start({ registry, subscribe: (f) => subscriptions.add(f), unsubscribe: (f) => subscriptions.delete(f), publish: (topic, payload) => published.push({ topic, payload }), log: silentLogger, ...(refuse ? { refuse } : {}) });
  const send = (topic: string, payload: unknown) => adapter.handle(topic, Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)));
  const byName = (name: string) => registry.all().find((d) => d.device.name === name);
  return { registry, subscriptions, published, send, byName };
}
