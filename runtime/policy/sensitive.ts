/**
 * What counts as sensitive. Unlocking, disarming, opening a garage door or gate, and turning on
 * an oven (or anything whose name has one of policy.sensitiveNames) need the household PIN.
 * Locks, alarms, garage doors and gates are "sensitive devices": those that appear after setup
 * are not voice-controllable until the household enables them in config.
 */
import type { Device, DeviceOperation } from '../types/device.js';
import { normalize } from '../nlu/normalize.js';

function nameHas(device: Device, words: readonly string[]): boolean {
  const n = ` ${normalize([device.name, ...device.aliases].join(' '))} `;
  return words.some((w) => n.includes(` ${normalize(w)} `) || n.includes(` ${normalize(w)}s `));
}

export function isSensitiveDevice(device: Device): boolean {
  if (device.domain === 'lock' || device.domain === 'alarm_control_panel') return true;
  if (device.domain === 'cover' && (device.deviceClass === 'garage' || device.deviceClass === 'gate' || nameHas(device, ['garage', 'gate']))) return true;
  return false;
}

export function isSensitiveOperation(device: Device, op: DeviceOperation, sensitiveNames: readonly string[]): string | undefined {
  if (op.lock === 'unlock') return `unlock the ${device.name}`;
  if (device.domain === 'alarm_control_panel' && op.power === 'off') return `disarm the ${device.name}`;
  if ((op.cover === 'open' || (op.positionPct !== undefined && op.positionPct > 0)) && isSensitiveDevice(device)) return `open the ${device.name}`;
  // A button, scene or script does whatever it was made for: one named for a door, gate, lock or alarm needs the PIN.
  if (['button', 'scene', 'script'].includes(device.domain) && op.power === 'on' && nameHas(device, ['garage', 'gate', 'door', 'unlock', 'lock', 'disarm', 'alarm', ...sensitiveNames])) {
    return `${device.domain === 'button' ? 'press' : 'run'} the ${device.name}`;
  }
  if ((op.power === 'on' || op.power === 'toggle') && nameHas(device, sensitiveNames)) return `turn on the ${device.name}`;
  return undefined;
}
