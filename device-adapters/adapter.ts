/**
 * The device adapter extension point: one interface, one factory map keyed by the id used in the
 * config (as MQTT.js picks its transport). An adapter reads its bridge's messages into the registry
 * and turns bridge-neutral operations back into that bridge's own commands.
 */
import type { AdapterId, Device, DeviceOperation } from '../runtime/types/device.js';
import type { DeviceCommand } from '../runtime/types/pipeline.js';
import type { Logger } from '../runtime/log.js';
import type { DeviceRegistry } from './registry.js';

export interface AdapterContext {
  readonly registry: DeviceRegistry;
  readonly subscribe: (filter: string) => void;
  readonly unsubscribe: (filter: string) => void;
  /** Publishes a bridge query (e.g. a Shelly RPC asking for names); never a device command. */
  readonly publish: (topic: string, payload: string) => void;
  readonly log: Logger;
  /** Part of a message refused (one bad entry of a device list): counted in the hub's status and `hearth report`. */
  readonly refuse?: (code: string, topic: string, detail: string) => void;
}

export interface DeviceAdapter {
  readonly id: AdapterId;
  /** Subscribes to the bridge's topics. */
  start(ctx: AdapterContext): void;
  /**
   * Handles one message. Returns false when the topic is not this adapter's. Throws a HearthError
   * with code `payload-invalid` for a malformed payload; the registry must then be unchanged.
   */
  handle(topic: string, payload: Buffer): boolean;
  /** The bridge's commands for an operation on one of its devices; throws `operation-unsupported`. */
  commands(device: Device, op: DeviceOperation): DeviceCommand[];
}
