import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { loadConfig, validateConfig } from '../../runtime/config/load.js';
import { configSchema } from '../../runtime/config/schema.js';

type Node = { properties?: Record<string, Node> };
function keys(props: Record<string, Node>, prefix = ''): string[] {
  return Object.entries(props).flatMap(([k, v]) => (v.properties ? [`${prefix}${k}`, ...keys(v.properties, `${prefix}${k}.`)] : [`${prefix}${k}`]));
}

describe('config', () => {
  it('documents every schema key in firmware-config/default-config.yaml, and that file is valid', () => {
    const doc = parse(readFileSync('firmware-config/default-config.yaml', 'utf8')) as Record<string, unknown>;
    for (const key of keys((configSchema as unknown as Node).properties!)) {
      const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], doc);
      expect(value, key).not.toBeUndefined();
    }
    expect(validateConfig(doc).mqtt.topicPrefix).toBe('hearth');
  });

  it('names the wrong key in its error', () => {
    expect(() => validateConfig({ mqtt: { urll: 'x' } })).toThrow(/mqtt\.urll: unknown key/);
    expect(() => validateConfig({ pin: '12' })).toThrow(/pin/);
  });

  it('takes nested keys from the environment with their types', () => {
    const c = loadConfig({ env: { HEARTH__MQTT__URL: 'mqtt://10.0.0.2:1883', HEARTH__MQTT__KEEPALIVES: '60', HEARTH__AREA: 'Kitchen' } });
    expect(c.mqtt.url).toBe('mqtt://10.0.0.2:1883');
    expect(c.mqtt.keepaliveS).toBe(60);
    expect(c.area).toBe('Kitchen');
    expect(() => loadConfig({ env: { HEARTH__MQTT__NOPE: '1' } })).toThrow(/HEARTH__MQTT__NOPE/);
  });

  it('fills defaults and freezes the result', () => {
    const c = loadConfig({ env: {} });
    expect(c.adapters.zigbee2mqtt.baseTopic).toBe('zigbee2mqtt');
    expect(c.embeddedBroker.host).toBe('127.0.0.1');
    expect(Object.isFrozen(c.mqtt)).toBe(true);
  });

  it('reports a missing config file by path', () => {
    expect(() => loadConfig({ file: '/nonexistent/hearth.yaml', env: {} })).toThrow(/\/nonexistent\/hearth\.yaml/);
  });
});
