/**
 * `hearth run --unpublish-ha`: removes the hub's device and entities from Home Assistant by clearing their retained
 * discovery configs on the user's broker (an empty retained message is HA's "remove"), then exits.
 */
import { readFileSync } from 'node:fs';
import mqtt from 'mqtt';
import type { HearthConfig } from '../config/config.js';
import { HearthError } from '../types/errors.js';
import { haEntityConfigs, haEntityTopics } from '../hub/ha-entities.js';
import { HEARTH_VERSION } from '../version.js';

export async function unpublishHa(config: HearthConfig): Promise<string[]> {
  const m = config.mqtt;
  if (!m.url) throw new HearthError('cli-usage', 'config', 'mqtt.url is not set: the embedded broker keeps nothing once the hub stops, so there is nothing to remove.');
  const file = (path: string | null) => (path ? readFileSync(path) : undefined);
  const client = await mqtt.connectAsync(m.url, {
    connectTimeout: 5000, reconnectPeriod: 0, clientId: `hearth-${config.hubId}-unpublish-${process.pid}`, rejectUnauthorized: m.rejectUnauthorized,
    ...(m.username ? { username: m.username } : {}), ...(m.password ? { password: m.password } : {}),
    ...(m.caFile ? { ca: file(m.caFile) } : {}), ...(m.certFile ? { cert: file(m.certFile) } : {}), ...(m.keyFile ? { key: file(m.keyFile) } : {}),
  }).catch((err: Error) => { throw new HearthError('mqtt-connect-failed', 'environment', `Cannot reach the broker at ${m.url} (${err.message}).`); });
  const prefix = `${m.topicPrefix}/${config.hubId}`;
  const configs = haEntityConfigs(config.hubId, config.adapters.homeassistant.discoveryPrefix, haEntityTopics(prefix), config.wake.words.map((w) => w.id), HEARTH_VERSION);
  try {
    for (const c of configs) await client.publishAsync(c.topic, '', { retain: true, qos: 1 });
  } finally {
    await client.endAsync();
  }
  return configs.map((c) => c.topic);
}
