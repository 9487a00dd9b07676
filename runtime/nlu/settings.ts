/**
 * Device settings said in words, for teaching: "full brightness and cool white" -> {power on,
 * brightness 100 %, colour temperature 153 mired}. Only what was said is set; lights that are given a
 * brightness or colour are turned on, as people mean. Returns undefined when nothing is recognised.
 */
import type { DeviceOperation } from '../types/device.js';
import { normalize } from './normalize.js';
import { COLORS, WHITE_TEMPERATURES_MIRED } from './vocabulary.js';

const BRIGHTNESS_WORDS: readonly [RegExp, number][] = [
  [/\b(full|max|maximum|fully|100 %) (brightness|bright)\b|\bas bright as (it can|possible)\b|\bbrightest\b|\bfull power\b/, 100],
  [/\b(half|50 %) brightness\b|\bhalf (bright|way)\b/, 50],
  [/\b(dim|dimmed|low|soft|gentle)( light| brightness)?\b|\ba bit of light\b/, 20],
  [/\b(min|minimum|lowest|night light)( brightness)?\b/, 1],
];

export function parseSettings(text: string): DeviceOperation | undefined {
  const t = normalize(text);
  const op: { -readonly [K in keyof DeviceOperation]: DeviceOperation[K] } = {};
  const pct = /\b(\d{1,3}) ?%/.exec(t);
  if (pct && /\b(bright|brightness|light|lights|lamp|dim)\b|^\d{1,3} ?%/.test(t)) op.brightnessPct = Math.min(100, Number(pct[1]));
  else for (const [re, v] of BRIGHTNESS_WORDS) if (re.test(t)) { op.brightnessPct = v; break; }
  for (const [words, mired] of Object.entries(WHITE_TEMPERATURES_MIRED)) if (t.includes(words)) { op.colorTempMired = mired; break; }
  if (op.colorTempMired === undefined) {
    const colour = Object.keys(COLORS).find((c) => new RegExp(`\\b${c}\\b`).test(t) && c !== 'white');
    if (colour) op.colorRgb = COLORS[colour]!;
  }
  const deg = /\b(\d{1,2}(?:\.\d)?) ?(degrees|°)/.exec(t);
  if (deg) op.targetTemperature = Number(deg[1]);
  if (/\b(fully |all the way )?open\b/.test(t) && !/\bclose/.test(t)) op.positionPct = /\bhalf/.test(t) ? 50 : 100;
  else if (/\b(closed|close|shut)\b/.test(t)) op.positionPct = 0;
  if (/\b(off|out)\b/.test(t)) op.power = 'off';
  else if (op.brightnessPct !== undefined || op.colorTempMired !== undefined || op.colorRgb || /\bon\b/.test(t)) op.power = 'on';
  return Object.keys(op).length > 0 ? op : undefined;
}

/** The settings back in words, for "what is study mode". */
export function describeSettings(op: DeviceOperation): string {
  const parts: string[] = [];
  if (op.power === 'off') parts.push('off');
  if (op.brightnessPct !== undefined) parts.push(op.brightnessPct >= 100 ? 'full brightness' : `${op.brightnessPct} percent brightness`);
  if (op.colorTempMired !== undefined) parts.push(Object.entries(WHITE_TEMPERATURES_MIRED).find(([, m]) => m === op.colorTempMired)?.[0] ?? `${op.colorTempMired} mired white`);
  if (op.colorRgb) parts.push(Object.entries(COLORS).find(([, c]) => c.join() === op.colorRgb!.join())?.[0] ?? 'a colour');
  if (op.targetTemperature !== undefined) parts.push(`${op.targetTemperature} degrees`);
  if (op.positionPct !== undefined) parts.push(op.positionPct === 0 ? 'closed' : op.positionPct >= 100 ? 'open' : `${op.positionPct} percent open`);
  if (parts.length === 0 && op.power === 'on') parts.push('on');
  return parts.join(' and ');
}
