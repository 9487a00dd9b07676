/**
 * The one registry of devices, areas and live state that every adapter feeds. Areas and aliases
 * from the config win over what bridges suggest (the household's words beat the installer's).
 * Nothing here parses outside input: adapters hand over already-validated values.
 */
import { HearthError } from '../runtime/types/errors.js';
import type { Device, DeviceSnapshot, DeviceState, RegistryView, StateValue } from '../runtime/types/device.js';
import { EventBus } from '../runtime/bus.js';
import type { Logger } from '../runtime/log.js';

export interface RegistryEvents {
  'device-added': DeviceSnapshot;
  'device-removed': Device;
  'state-changed': { readonly snapshot: DeviceSnapshot; readonly changed: Readonly<Record<string, StateValue>> };
}

export interface RegistryConfig {
  readonly areas: Readonly<Record<string, string>>;
  readonly floors: Readonly<Record<string, string>>;
  readonly aliases: Readonly<Record<string, readonly string[]>>;
  /** At most this many devices (maxDevices): a client spoofing status topics cannot grow the home without end. */
  readonly maxDevices?: number;
}

const lower = (s: string) => s.trim().toLowerCase();

export class DeviceRegistry implements RegistryView {
  readonly events: EventBus<RegistryEvents>;
  private readonly devices = new Map<string, DeviceSnapshot>();
  private readonly areaByName: Map<string, string>;
  private readonly floorByArea: Map<string, string>;
  private readonly aliasesByName: Map<string, readonly string[]>;
  private rev = 0;
  private readonly maxDevices: number;

  constructor(config: RegistryConfig, log: Logger, private readonly nowMs: () => number = Date.now) {
    this.maxDevices = config.maxDevices ?? Infinity;
    this.events = new EventBus<RegistryEvents>(log);
    this.areaByName = new Map(Object.entries(config.areas).map(([n, a]) => [lower(n), a]));
    this.floorByArea = new Map(Object.entries(config.floors).map(([a, f]) => [lower(a), f]));
    this.aliasesByName = new Map(Object.entries(config.aliases).map(([n, a]) => [lower(n), a]));
  }

  get revision(): number {
    return this.rev;
  }

  /** Adds or replaces a device definition, keeping its live state. */
  upsert(device: Device): DeviceSnapshot {
    const area = this.areaByName.get(lower(device.name)) ?? device.area;
    const floor = area ? this.floorByArea.get(lower(area)) ?? device.floor : device.floor;
    const aliases = [...device.aliases, ...(this.aliasesByName.get(lower(device.name)) ?? [])];
    const finalDevice: Device = Object.freeze({ ...device, aliases: Object.freeze(aliases), ...(area ? { area } : {}), ...(floor ? { floor } : {}) });
    const prev = this.devices.get(device.id);
    if (!prev && this.devices.size >= this.maxDevices) {
      throw new HearthError('registry-full', 'input', `Not adding ${device.name}: the hub holds ${this.maxDevices} devices already (maxDevices).`, { deviceId: device.id });
    }
    const state: DeviceState = prev?.state ?? { values: {}, available: true, updatedAtMs: this.nowMs() };
    const snapshot: DeviceSnapshot = Object.freeze({ device: finalDevice, state });
    this.devices.set(device.id, snapshot);
    this.rev++;
    if (!prev) this.events.emit('device-added', snapshot);
    return snapshot;
  }

  remove(id: string): void {
    const prev = this.devices.get(id);
    if (!prev) return;
    this.devices.delete(id);
    this.rev++;
    this.events.emit('device-removed', prev.device);
  }

  /** Merges new values into a device's state; emits only when something changed. */
  updateState(id: string, values: Readonly<Record<string, StateValue>>): void {
    const prev = this.devices.get(id);
    if (!prev) return;
    const changed: Record<string, StateValue> = {};
    for (const [k, v] of Object.entries(values)) {
      if (prev.state.values[k] !== v) changed[k] = v;
    }
    if (Object.keys(changed).length === 0) return;
    const state: DeviceState = Object.freeze({ ...prev.state, values: Object.freeze({ ...prev.state.values, ...changed }), updatedAtMs: this.nowMs() });
    const snapshot: DeviceSnapshot = Object.freeze({ device: prev.device, state });
    this.devices.set(id, snapshot);
    this.events.emit('state-changed', { snapshot, changed });
  }

  setAvailable(id: string, available: boolean): void {
    const prev = this.devices.get(id);
    if (!prev || prev.state.available === available) return;
    this.devices.set(id, Object.freeze({ device: prev.device, state: Object.freeze({ ...prev.state, available }) }));
  }

  all(): readonly DeviceSnapshot[] {
    return [...this.devices.values()];
  }

  get(id: string): DeviceSnapshot | undefined {
    return this.devices.get(id);
  }

  areas(): readonly string[] {
    const seen = new Map<string, string>();
    for (const { device } of this.devices.values()) if (device.area) seen.set(lower(device.area), device.area);
    for (const a of this.areaByName.values()) if (!seen.has(lower(a))) seen.set(lower(a), a);
    for (const a of this.floorByArea.keys()) if (!seen.has(a)) seen.set(a, titleCase(a));
    return [...seen.values()];
  }

  floors(): readonly string[] {
    return [...new Set(this.floorByArea.values())];
  }

  floorOf(area: string): string | undefined {
    return this.floorByArea.get(lower(area));
  }
}

function titleCase(s: string): string {
  return s.replace(/\b\w/g, (c) => c.toUpperCase());
}
