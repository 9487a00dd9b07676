/**
 * Which devices a request means, from its slots and the live registry: name (and aliases), area,
 * floor, kind, then a capability filter for what the intent needs. Every choice is written into
 * `used` so the interaction log says why these devices.
 */
import type { DeviceSnapshot, RegistryView } from '../types/device.js';
import type { IntentSlots } from '../types/pipeline.js';
import { normalize } from '../nlu/normalize.js';

export interface Selection {
  readonly devices: DeviceSnapshot[];
  readonly used: string[];
}

const same = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** Normalised names per device definition: devices are immutable, so this is computed once each. */
const namesCache = new WeakMap<object, string[]>();
function namesOf(d: DeviceSnapshot): string[] {
  let n = namesCache.get(d.device);
  if (!n) namesCache.set(d.device, (n = [d.device.name, ...d.device.aliases].map(normalize)));
  return n;
}

/** `n` is the spoken name already normalised (once per request, not once per device). */
function nameMatches(d: DeviceSnapshot, n: string): boolean {
  return namesOf(d).some((k) => k === n || `${k}s` === n || k === `${n}s`);
}

const POWERED_KIND_WORDS: Readonly<Record<string, readonly string[]>> = { fan: ['fan'], light: ['light', 'lamp', 'lights', 'lamps'], climate: ['heater'] };

export function kindMatches(d: DeviceSnapshot, domain: string | undefined, deviceClass: string | undefined): boolean {
  const dev = d.device;
  if (domain === 'lock' && !deviceClass) return dev.domain === 'lock';
  if (domain === 'cover' && deviceClass) {
    // A garage door may come as a cover with device_class garage, or only with "garage" in its name.
    return dev.domain === 'cover' && (dev.deviceClass === deviceClass || normalize(dev.name).includes(deviceClass) || !dev.deviceClass && deviceClass !== 'garage');
  }
  // A relay or plug named for what it powers ("Hallway Fan", a Shelly switch) is that kind of thing to the people there.
  if (dev.domain === 'switch' && domain && POWERED_KIND_WORDS[domain]?.some((w) => namesOf(d).some((n) => ` ${n} `.includes(` ${w} `)))) return true;
  if (domain === 'light') return dev.domain === 'light';
  if (domain === 'switch') return dev.domain === 'switch';
  if (domain && dev.domain !== domain) return false;
  if (deviceClass && dev.deviceClass !== deviceClass && !dev.capabilities[deviceClass]) return false;
  return true;
}

export function select(registry: RegistryView, slots: IntentSlots): Selection {
  const used: string[] = [];
  let list = [...registry.all()];
  if (slots.name) {
    const n = normalize(slots.name);
    list = list.filter((d) => nameMatches(d, n));
    used.push(`name:${slots.name}`);
  } else if (slots.domain || slots.device_class) {
    list = list.filter((d) => kindMatches(d, slots.domain, slots.device_class));
    used.push(`kind:${slots.domain ?? ''}${slots.device_class ? `/${slots.device_class}` : ''}`);
  }
  if (slots.area) {
    const inArea = list.filter((d) => same(d.device.area, slots.area));
    // A named device outside the named area is still the one meant ("the oven in the kitchen" when the oven has no area).
    if (inArea.length > 0 || !slots.name) list = inArea;
    used.push(`area:${slots.area}`);
  }
  if (slots.floor) {
    list = list.filter((d) => same(d.device.floor, slots.floor) || same(registry.floorOf(d.device.area ?? ''), slots.floor));
    used.push(`floor:${slots.floor}`);
  }
  return { devices: list, used };
}

/** Keeps the devices that can do what an intent needs; says which were dropped and why. */
export function withCapability(sel: Selection, need: (d: DeviceSnapshot) => boolean, label: string): Selection {
  const kept = sel.devices.filter(need);
  return { devices: kept, used: kept.length < sel.devices.length ? [...sel.used, `capability:${label}`] : sel.used };
}
