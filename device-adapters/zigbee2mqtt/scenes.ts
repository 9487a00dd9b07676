/**
 * zigbee2mqtt scenes: stored on a group (`bridge/groups`: {friendly_name, scenes: [{id, name}]}) or on a device's
 * endpoint (`bridge/devices`: endpoints.<n>.scenes), recalled with `{"scene_recall": <id>}` on the group's or device's
 * set topic. Each scene is a Hearth device of domain scene ("activate movie time"); the lists replace what they said
 * before, so a removed scene goes away. https://www.zigbee2mqtt.io/guide/usage/scenes.html
 */
import type { Device } from '../../runtime/types/device.js';
import { isObject, str } from '../parse.js';

export interface Z2mScene { readonly device: Device; readonly target: string; readonly sceneId: number }

function scenesOf(owner: string, idPrefix: string, list: unknown): Z2mScene[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((s) => {
    if (!isObject(s) || typeof s['id'] !== 'number') return [];
    const name = str(s['name'])?.trim() || `${owner} scene ${s['id']}`;
    return [{
      target: owner, sceneId: s['id'],
      device: { id: `${idPrefix}:scene:${s['id']}`, adapter: 'zigbee2mqtt', name, aliases: [`${owner} ${name}`], domain: 'scene',
        capabilities: { activate: { id: 'activate', kind: 'binary', readable: false, writable: true } } },
    }];
  });
}

/** Scenes of the groups in a bridge/groups payload. */
export function groupScenes(groups: readonly unknown[]): Z2mScene[] {
  return groups.flatMap((g) => (isObject(g) && str(g['friendly_name']) !== undefined && g['id'] !== undefined
    ? scenesOf(str(g['friendly_name'])!, `zigbee2mqtt:group:${String(g['id'])}`, g['scenes']) : []));
}

/** Scenes stored on the endpoints of devices in a bridge/devices payload. */
export function deviceScenes(devices: readonly unknown[]): Z2mScene[] {
  return devices.flatMap((d) => {
    if (!isObject(d) || !isObject(d['endpoints'])) return [];
    const name = str(d['friendly_name']), ieee = str(d['ieee_address']);
    if (!name || !ieee) return [];
    return Object.values(d['endpoints']).flatMap((ep) => (isObject(ep) ? scenesOf(name, `zigbee2mqtt:${ieee}`, ep['scenes']) : []));
  });
}
