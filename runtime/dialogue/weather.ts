/**
 * "What's the weather?": Home Assistant's MQTT discovery has no weather entity, so the weather here is what an outdoor
 * sensor reads (a sensor whose name or room says weather, outdoor, outside or garden: temperature, humidity, a
 * condition). Without one the hub says so plainly instead of guessing.
 */
import type { DeviceSnapshot, RegistryView } from '../types/device.js';

const OUTDOOR = /\b(weather|outdoors?|outside|exterior|garden|yard|balcony|patio)\b/i;
const round = (v: number) => Math.round(v * 10) / 10;

/** The weather as the outdoor sensors read it; `found: false` when there is none (the hub could not do what was asked). */
export function weatherReply(registry: RegistryView): { speech: string; found: boolean } {
  const outdoor = registry.all().filter((d) => d.device.domain === 'sensor' && d.state.available && OUTDOOR.test(`${d.device.name} ${d.device.area ?? ''}`));
  const value = (measure: string): { v: unknown; d: DeviceSnapshot } | undefined => {
    for (const d of outdoor) if (d.device.capabilities[measure] && d.state.values[measure] !== undefined) return { v: d.state.values[measure], d };
    return undefined;
  };
  const temp = value('temperature'), humidity = value('humidity');
  const condition = outdoor.flatMap((d) => Object.values(d.state.values)).find((v) => typeof v === 'string' && /^[a-z -]{3,30}$/i.test(v) && !/^(on|off|unknown|unavailable)$/i.test(v));
  const parts = [
    ...(typeof condition === 'string' ? [condition.replace(/-/g, ' ')] : []),
    ...(typeof temp?.v === 'number' ? [`${round(temp.v)} degrees`] : []),
    ...(typeof humidity?.v === 'number' ? [`${round(humidity.v)} percent humidity`] : []),
  ];
  if (parts.length === 0) return { speech: "There's no weather source here: I read the weather from an outdoor sensor, and none is reporting.", found: false };
  const from = (temp ?? humidity)?.d.device.name;
  return { speech: `Outside it's ${parts.join(', ')}${from ? `, says the ${from}` : ''}.`, found: true };
}
