/** The first `npm start`: embedded broker plus the demo home, and the whole loop works on it. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../runtime/config/load.js';
import { Hub } from '../../runtime/hub/hub.js';
import { silentLogger } from '../../runtime/log.js';

let hub: Hub;
const until = async (cond: () => boolean) => {
  const end = Date.now() + 5000;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 25));
};

beforeAll(async () => {
  // No broker configured: the embedded one starts (here on a free port) and the demo is on by default.
  hub = new Hub(loadConfig({ env: {}, overrides: { dataDir: mkdtempSync(join(tmpdir(), 'hearth-demo-')), embeddedBroker: { port: 0 } } }), silentLogger);
  await hub.start();
  await until(() => hub.registry.all().length >= 8);
}, 20000);
afterAll(async () => { await hub?.stop(); });

describe('demo home', () => {
  it('shows devices of every bridge, in their rooms', () => {
    const byName = new Map(hub.registry.all().map((d) => [d.device.name, d.device]));
    expect([...new Set([...byName.values()].map((d) => d.adapter))].sort()).toEqual(['homeassistant', 'shelly', 'tasmota', 'zigbee2mqtt']);
    expect(byName.get('Living Room Lamp')?.area).toBe('Living Room');
    expect(byName.get('Hallway Fan')?.area).toBe('Hallway');
  });

  it('reacts to commands the way the real devices do', async () => {
    const fan = () => hub.registry.all().find((d) => d.device.name === 'Hallway Fan')!;
    expect(hub.say('turn on the hallway fan').response.speech).toContain('Hallway Fan');
    await until(() => fan().state.values['power'] === 'on');
    expect(fan().state.values['power']).toBe('on');
    expect(hub.say('is the hallway fan on').response.speech.toLowerCase()).toContain('on');
  });

  it('refuses to unlock without a PIN, and answers the temperature from the room', () => {
    expect(hub.say('unlock the front door').response.speech).toContain('PIN');
    expect(hub.say('what is the temperature in the living room').response.speech).toContain('21.5');
  });
});
