/**
 * `hearth nlu-eval ha <folder>`: Home Assistant's intent test format. `_fixtures.yaml` is the home
 * (areas with floors, entities with names, aliases and areas); every other YAML file holds
 * `tests: [{sentences, intent: {name, slots, context?}}]`.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { HearthError } from '../../../runtime/types/errors.js';
import { Lexicon, type LexDevice } from '../../../runtime/nlu/lexicon.js';
import { recognize } from '../../../runtime/nlu/recognizer.js';
import { applyAreaContext } from '../../../runtime/context/area.js';
import { compare } from './compare.js';

export interface EvalFailure { readonly file: string; readonly sentence: string; readonly why: string }
export interface EvalReport {
  readonly passed: number; readonly failed: number; readonly failures: readonly EvalFailure[];
  /** Of those passed, how many Hearth's own templates read (the rest the rules behind them). */
  readonly byTemplates: number;
}

interface Fixtures {
  floors?: { name: string; id: string }[];
  areas?: { name: string; id: string; floor?: string }[];
  entities?: { name: string; id: string; area?: string; aliases?: string[]; attributes?: Record<string, unknown> }[];
}

function readYaml(path: string): unknown {
  try {
    return parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new HearthError('eval-file-invalid', 'input', `Cannot read ${path}: ${(err as Error).message}`, { path }, err);
  }
}

export function lexiconFromFixtures(path: string): Lexicon {
  const fx = readYaml(path) as Fixtures;
  const areaById = new Map((fx.areas ?? []).map((a) => [a.id, a.name]));
  const devices: LexDevice[] = (fx.entities ?? []).map((e) => {
    const domain = e.id.split('.')[0] ?? 'sensor';
    const dc = typeof e.attributes?.['device_class'] === 'string' ? (e.attributes['device_class'] as string) : undefined;
    const area = e.area ? areaById.get(e.area) : undefined;
    return { name: e.name, aliases: e.aliases ?? [], domain, ...(dc ? { deviceClass: dc } : {}), ...(area ? { area } : {}) };
  });
  return new Lexicon(devices, (fx.areas ?? []).map((a) => a.name), (fx.floors ?? []).map((f) => f.name));
}

function testFiles(folder: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(folder).sort()) {
    const p = join(folder, entry);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (entry.endsWith('.yaml') && !entry.startsWith('_')) out.push(p);
  }
  return out;
}

export function evalHa(folder: string): EvalReport {
  const lexicon = lexiconFromFixtures(join(folder, '_fixtures.yaml'));
  const failures: EvalFailure[] = [];
  let passed = 0, byTemplates = 0;
  for (const file of testFiles(folder)) {
    const doc = readYaml(file) as { tests?: unknown[] };
    for (const t of doc.tests ?? []) {
      const test = t as { sentences?: string[]; intent?: { name: string; slots?: Record<string, unknown>; context?: { area?: string } }; slots?: Record<string, unknown> };
      // A few upstream files name no intent (response-only tests); they cannot be scored.
      if (!test.intent || !Array.isArray(test.sentences)) continue;
      for (const sentence of test.sentences) {
        const got = recognize(sentence, lexicon);
        const slots = got ? applyAreaContext(got.intent, got.slots, test.intent.context?.area).slots : undefined;
        const why = compare({ name: test.intent.name, slots: test.intent.slots ?? {} }, got, slots);
        if (why) failures.push({ file: relative(folder, file), sentence, why });
        else { passed++; if (got?.rule.startsWith('template')) byTemplates++; }
      }
    }
  }
  return { passed, failed: failures.length, failures, byTemplates };
}
