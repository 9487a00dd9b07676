/**
 * "What is the temperature": the device whose state makes the question about it. An appliance that
 * is on (an oven heating) is what people ask about while it runs; otherwise the room's own sensor or
 * thermostat; in the hub's room first.
 */
import type { DeviceSnapshot } from '../types/device.js';

function powerOf(d: DeviceSnapshot): unknown {
  return d.state.values['power'] ?? d.state.values['hvac_mode'];
}

function isRunningAppliance(d: DeviceSnapshot): boolean {
  const p = powerOf(d);
  const hasSwitch = d.device.capabilities['power']?.writable === true;
  return hasSwitch && (p === 'on' || p === 'heat' || p === 'heating');
}

function isAmbient(d: DeviceSnapshot): boolean {
  return d.device.capabilities['power'] === undefined;
}

export function pickMeasured(candidates: readonly DeviceSnapshot[], measure: string, area: string | undefined): { device: DeviceSnapshot; why: string } | undefined {
  const readable = candidates.filter((d) => d.device.capabilities[measure]?.readable && d.state.values[measure] !== undefined && d.state.values[measure] !== null);
  const inArea = area ? readable.filter((d) => d.device.area?.toLowerCase() === area.toLowerCase()) : readable;
  for (const pool of area ? [inArea, readable] : [readable]) {
    const running = pool.find(isRunningAppliance);
    if (running) return { device: running, why: `measure:running-appliance:${running.device.name}` };
    const ambient = pool.filter(isAmbient);
    if (ambient.length > 0) return { device: ambient[0]!, why: `measure:room-sensor:${ambient[0]!.device.name}` };
    const climate = pool.find((d) => d.device.domain === 'climate');
    if (climate) return { device: climate, why: `measure:thermostat:${climate.device.name}` };
  }
  return undefined;
}
