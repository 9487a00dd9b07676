/**
 * `hearth nlu-eval slurp <file.jsonl>`: SLURP IoT utterances against a small home that ships here
 * (lights in five rooms, a smart plug, a robot vacuum, a coffee maker). Mapping of Hearth's result
 * to SLURP's intent families:
 *   HassTurnOn/Off on lights                  -> iot_hue_lighton / iot_hue_lightoff
 *   HassLightSet with a colour or white       -> iot_hue_lightchange
 *   HassLightSet step down, or a level < 100  -> iot_hue_lightdim; step up or 100 -> iot_hue_lightup
 *   HassTurnOn/Off on the plug (or a switch)  -> iot_wemo_on / iot_wemo_off
 *   HassVacuumStart / ReturnToBase            -> iot_cleaning
 *   HassTurnOn on the coffee maker            -> iot_coffee
 * SLURP's few unprefixed labels (hue_lightoff, cleaning) are read as their iot_ forms.
 */
import { readFileSync } from 'node:fs';
import { HearthError } from '../../../runtime/types/errors.js';
import type { IntentMatch } from '../../../runtime/types/pipeline.js';
import { Lexicon, type LexDevice } from '../../../runtime/nlu/lexicon.js';
import { recognize } from '../../../runtime/nlu/recognizer.js';
import type { EvalReport, EvalFailure } from './ha.js';

export const SLURP_HOME: LexDevice[] = [
  { name: 'Living Room Light', aliases: [], domain: 'light', area: 'Living Room' },
  { name: 'Kitchen Light', aliases: [], domain: 'light', area: 'Kitchen' },
  { name: 'Bedroom Light', aliases: ['Bedside Lamp'], domain: 'light', area: 'Bedroom' },
  { name: 'Bathroom Light', aliases: [], domain: 'light', area: 'Bathroom' },
  { name: 'Hall Light', aliases: [], domain: 'light', area: 'Hall' },
  { name: 'Smart Plug', aliases: ['Wemo', 'Wemo Plug', 'Wemo Socket', 'Plug Socket'], domain: 'switch', area: 'Living Room' },
  { name: 'Robot Vacuum', aliases: ['Vacuum Cleaner', 'Roomba'], domain: 'vacuum', area: 'Living Room' },
  { name: 'Coffee Maker', aliases: ['Coffee Machine'], domain: 'switch', area: 'Kitchen' },
];

export function slurpFamily(m: IntentMatch | undefined, lex: Lexicon): string | undefined {
  if (!m) return undefined;
  const s = m.slots;
  const named = s.name ? lex.devices.find((d) => d.name === s.name) : undefined;
  const domain = named?.domain ?? s.domain;
  if (m.intent === 'HassVacuumStart' || m.intent === 'HassVacuumReturnToBase' || domain === 'vacuum') return 'iot_cleaning';
  if (named?.name === 'Coffee Maker') return 'iot_coffee';
  if (m.intent === 'HassLightSet') {
    if (s.color || s.color_temp_mired !== undefined) return 'iot_hue_lightchange';
    if (s.brightness_step) return s.brightness_step === 'up' ? 'iot_hue_lightup' : 'iot_hue_lightdim';
    if (s.brightness !== undefined) return s.brightness >= 100 ? 'iot_hue_lightup' : 'iot_hue_lightdim';
    return 'iot_hue_lightchange';
  }
  const on = m.intent === 'HassTurnOn' ? 'on' : m.intent === 'HassTurnOff' ? 'off' : undefined;
  if (!on) return undefined;
  if (domain === 'switch' || domain === 'fan') return `iot_wemo_${on}`;
  return `iot_hue_light${on}`;
}

export function evalSlurp(path: string): EvalReport {
  let lines: string[];
  try {
    lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  } catch (err) {
    throw new HearthError('eval-file-invalid', 'input', `Cannot read ${path}: ${(err as Error).message}`, { path }, err);
  }
  const lex = new Lexicon(SLURP_HOME, [...new Set(SLURP_HOME.map((d) => d.area!))], []);
  const failures: EvalFailure[] = [];
  let passed = 0, byTemplates = 0;
  lines.forEach((line, i) => {
    let row: { sentence?: string; intent?: string };
    try { row = JSON.parse(line) as typeof row; } catch { throw new HearthError('eval-file-invalid', 'input', `${path}:${i + 1} is not a JSON line`, { path }); }
    if (!row.sentence || !row.intent) return;
    const want = row.intent.startsWith('iot_') ? row.intent : `iot_${row.intent}`;
    const match = recognize(row.sentence, lex);
    const got = slurpFamily(match, lex);
    if (got === want) { passed++; if (match?.rule.startsWith('template')) byTemplates++; }
    else failures.push({ file: `${path}:${i + 1}`, sentence: row.sentence, why: `${got ?? 'no intent'}, expected ${want}` });
  });
  return { passed, failed: failures.length, failures, byTemplates };
}
