/**
 * The default-area rule, shared by the resolver and the evaluation: "here" means the room the hub
 * (or satellite) is in; a request about a kind of device or a room-level measure that names no
 * place means that room too; naming a device, an area, a floor or the whole home turns it off.
 */
import type { IntentName } from '../types/intents.js';
import type { IntentSlots } from '../types/pipeline.js';

const ROOM_LEVEL_INTENTS = new Set([
  'HassClimateGetTemperature', 'HassClimateSetTemperature', 'HassLightSet', 'HassSetPosition', 'HassSetVolume',
  'HassMediaPause', 'HassMediaUnpause', 'HassMediaNext', 'HassMediaPrevious', 'HassMediaSearchAndPlay', 'HassSetVolumeRelative',
  'HassMediaPlayerMute', 'HassMediaPlayerUnmute',
]);

export function applyAreaContext(intent: IntentName, slots: IntentSlots, contextArea: string | undefined): { slots: IntentSlots; used: boolean } {
  if (!contextArea || slots.area || slots.floor || slots.everywhere || slots.reference) return { slots, used: false };
  if (slots.here) return { slots: { ...slots, area: contextArea }, used: true };
  if (slots.name) return { slots, used: false };
  const kindRequest = (slots.domain !== undefined || slots.device_class !== undefined) && (intent === 'HassTurnOn' || intent === 'HassTurnOff' || intent === 'HassToggle');
  if (kindRequest || ROOM_LEVEL_INTENTS.has(intent)) return { slots: { ...slots, area: contextArea }, used: true };
  return { slots, used: false };
}
