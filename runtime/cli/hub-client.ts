/**
 * Talks to a running hub over its broker, as any other MQTT client would: publish a request with a
 * requestId on `<prefix>/<hubId>/<ask>`, wait for the answer carrying the same id on `<answer>`.
 * `say` and `devices` use it, so neither starts a second hub (or a second embedded broker).
 */
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import type { HearthConfig } from '../config/config.js';
import { HearthError } from '../types/errors.js';
import type { HomeWords } from '../asr/engine.js';

export async function askHub(config: HearthConfig, ask: string, answer: string, body: Record<string, unknown>, timeoutMs = 5000): Promise<Record<string, unknown>> {
  const url = config.mqtt.url ?? `mqtt://${config.embeddedBroker.host}:${config.embeddedBroker.port}`;
  const prefix = `${config.mqtt.topicPrefix}/${config.hubId}`;
  const client = await mqtt.connectAsync(url, {
    connectTimeout: timeoutMs, reconnectPeriod: 0,
    ...(config.mqtt.username ? { username: config.mqtt.username } : {}), ...(config.mqtt.password ? { password: config.mqtt.password } : {}),
  }).catch((err: Error) => { throw new HearthError('mqtt-connect-failed', 'environment', `No hub broker at ${url} (${err.message}). Start the hub with "npm start" first.`); });
  try {
    const requestId = randomUUID();
    const reply = new Promise<Record<string, unknown> | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      client.on('message', (_t, payload) => {
        try {
          const msg = JSON.parse(payload.toString('utf8')) as Record<string, unknown>;
          if (msg['requestId'] === requestId) { clearTimeout(timer); resolve(msg); }
        } catch { /* other traffic on the topic */ }
      });
    });
    await client.subscribeAsync(`${prefix}/${answer}`);
    await client.publishAsync(`${prefix}/${ask}`, JSON.stringify({ ...body, requestId }));
    const msg = await reply;
    if (!msg) throw new HearthError('hub-no-answer', 'environment', `The hub ${config.hubId} did not answer within ${timeoutMs / 1000} s. Is it running on ${url}?`);
    return msg;
  } finally {
    await client.endAsync();
  }
}

/** The running hub's device names and areas (for an ASR grammar); the config's when no hub answers. */
export async function homeWordsFromHub(config: HearthConfig): Promise<HomeWords> {
  try {
    const msg = await askHub(config, 'devices/get', 'devices', {}, 1500);
    const devices = (msg['devices'] ?? []) as { name: string; aliases: string[]; area: string | null }[];
    return { names: devices.flatMap((d) => [d.name, ...d.aliases]), areas: devices.map((d) => d.area).filter((a): a is string => !!a) };
  } catch {
    return { names: [...Object.keys(config.areas), ...Object.values(config.aliases).flat()], areas: Object.values(config.areas) };
  }
}
