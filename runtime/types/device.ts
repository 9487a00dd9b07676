/**
 * The device model every adapter feeds and every stage reads. A Device is one physical thing the
 * household names ("Oven"); its capabilities are what can be read or set on it (state, brightness,
 * temperature...). Bridges that publish one entity per feature (Home Assistant discovery) are merged
 * into one Device when they share a `device` block, so "turn on the oven" and "what is the oven's
 * temperature" reach the same thing.
 */

/** Home Assistant domain names, used as the device's main kind. */
export type Domain =
  | 'light' | 'switch' | 'sensor' | 'binary_sensor' | 'climate' | 'cover' | 'lock' | 'fan'
  | 'media_player' | 'vacuum' | 'valve' | 'scene' | 'script' | 'alarm_control_panel' | 'button' | 'select';

export type AdapterId = 'zigbee2mqtt' | 'homeassistant' | 'tasmota' | 'shelly';

export type StateValue = string | number | boolean | null;

export interface Capability {
  /** Normalised capability id: `power`, `brightness`, `color_temp`, `color`, `temperature`, `humidity`,
   * `target_temperature`, `position`, `lock`, `volume`, a sensor measure, or the bridge's own property. */
  readonly id: string;
  readonly kind: 'binary' | 'numeric' | 'enum' | 'text';
  readonly readable: boolean;
  readonly writable: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly unit?: string;
  readonly values?: readonly string[];
  /** Home Assistant device class of the entity behind this capability, when known. */
  readonly deviceClass?: string;
}

export interface Device {
  /** Stable id, unique across adapters: `<adapter>:<bridge id>`. */
  readonly id: string;
  readonly adapter: AdapterId;
  /** The name the household uses (friendly name, device name). */
  readonly name: string;
  readonly aliases: readonly string[];
  readonly area?: string;
  readonly floor?: string;
  readonly domain: Domain;
  readonly deviceClass?: string;
  readonly capabilities: Readonly<Record<string, Capability>>;
  readonly model?: string;
  readonly manufacturer?: string;
}

/** Live values keyed by capability id, with when they last changed. */
export interface DeviceState {
  readonly values: Readonly<Record<string, StateValue>>;
  readonly available: boolean;
  readonly updatedAtMs: number;
}

export interface DeviceSnapshot {
  readonly device: Device;
  readonly state: DeviceState;
}

/** What the stages may ask of the registry (implemented in device-adapters/registry.ts). */
export interface RegistryView {
  all(): readonly DeviceSnapshot[];
  get(id: string): DeviceSnapshot | undefined;
  areas(): readonly string[];
  floors(): readonly string[];
  floorOf(area: string): string | undefined;
  /** Increases on every change of devices (not of state): lets caches know when to rebuild. */
  readonly revision: number;
}

/**
 * A request to change a device, in bridge-neutral terms. Adapters turn it into their own payloads.
 * Percentages are 0..100, temperatures in the device's unit.
 */
export interface DeviceOperation {
  readonly power?: 'on' | 'off' | 'toggle';
  readonly brightnessPct?: number;
  readonly colorTempMired?: number;
  readonly colorRgb?: readonly [number, number, number];
  readonly positionPct?: number;
  readonly cover?: 'open' | 'close' | 'stop';
  readonly lock?: 'lock' | 'unlock';
  readonly targetTemperature?: number;
  readonly volumePct?: number;
  readonly media?: 'pause' | 'play' | 'next' | 'previous';
  readonly vacuum?: 'start' | 'stop' | 'dock';
}
