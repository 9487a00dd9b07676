/**
 * Users' own sentences and responses, in Home Assistant's custom_sentences format (YAML files in one folder:
 * `intents: <Intent>: data: [{sentences, slots, requires_context, excludes_context, response}]`, `lists`,
 * `expansion_rules`, `skip_words`, `responses: intents: <Intent>: <name>: "text with {{ slots.x }}"`).
 * A file with a mistake is left out with an error naming the file and line; the other files still load.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseDocument, type Node } from 'yaml';
import { parseTemplate, references, TemplateError, type TemplateNode } from './parse.js';
import type { SlotList } from './match.js';

/**
 * requires_context and excludes_context: domain and device_class, Home Assistant's way of saying which devices a
 * sentence's {name} takes (absent: any) and which it never takes.
 */
export interface DeviceContext {
  readonly domains?: readonly string[]; readonly deviceClasses?: readonly string[];
  readonly notDomains?: readonly string[]; readonly notDeviceClasses?: readonly string[];
}

/** Whether a device of `domain` (and `deviceClass`) is one a sentence's context takes. */
export const fitsContext = (c: DeviceContext, domain: string, deviceClass?: string): boolean =>
  (!c.domains || c.domains.includes(domain)) && (!c.deviceClasses || c.deviceClasses.includes(deviceClass ?? ''))
  && !c.notDomains?.includes(domain) && !(deviceClass !== undefined && c.notDeviceClasses?.includes(deviceClass));

/** A context's key (sentences with the same one share their lists). */
export const contextKey = (c: DeviceContext): string => [c.domains, c.deviceClasses, c.notDomains, c.notDeviceClasses].map((x) => x?.join(',') ?? '').join('/');

export interface CustomSentence {
  readonly intent: string;
  /** The devices its {name} may be (requires_context / excludes_context domain and device_class); undefined: any. */
  readonly devices?: DeviceContext;
  readonly tree: TemplateNode;
  readonly slots: Readonly<Record<string, string | number>>;
  /** requires_context: area (the hub's or satellite's area must be known; `slot: true` puts it in the area slot). */
  readonly needsArea: boolean;
  readonly areaSlot: boolean;
  readonly response: string;
  readonly where: string;
}

export interface CustomSet {
  readonly sentences: readonly CustomSentence[];
  readonly lists: Readonly<Record<string, SlotList>>;
  readonly rules: Readonly<Record<string, TemplateNode>>;
  readonly skipWords: readonly string[];
  /** intent -> response name -> template. */
  readonly responses: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** Lists the hub fills from the registry; a file may not redefine them. */
export const HOME_LISTS = ['name', 'area', 'floor'] as const;

const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function readList(name: string, v: unknown, where: string): SlotList {
  if (!isObj(v)) throw new Error(`${where}: list ${name} is not a mapping`);
  if (v['wildcard'] === true) return { wildcard: true };
  const r = v['range'];
  if (isObj(r)) {
    const from = Number(r['from']), to = Number(r['to']);
    if (!Number.isFinite(from) || !Number.isFinite(to) || from > to) throw new Error(`${where}: list ${name} has a range without numbers from <= to`);
    return { range: { from, to } };
  }
  if (!Array.isArray(v['values'])) throw new Error(`${where}: list ${name} needs values, range or wildcard`);
  return { values: v['values'].map((x) => (isObj(x) ? { in: String(x['in']), out: String(x['out'] ?? x['in']) } : { in: String(x), out: String(x) })) };
}

const strings = (v: unknown): string[] | undefined => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.map(String) : undefined);

/**
 * One file; throws an Error whose message names the file and line. `homeLists`: the lists the hub fills itself (Hearth's
 * own sentences may also use the grammar's {kind} and {measure}).
 */
export function parseCustomFile(path: string, text: string, homeLists: readonly string[] = HOME_LISTS): CustomSet {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (node: Node | null | undefined) => `${path} line ${node?.range ? lines.linePos(node.range[0]).line : 1}`;
  if (doc.errors.length > 0) throw new Error(`${path} line ${doc.errors[0]!.linePos?.[0].line ?? 1}: not valid YAML (${doc.errors[0]!.message.split('\n')[0]})`);
  const root = doc.toJS() as unknown;
  if (root === null || root === undefined) return { sentences: [], lists: {}, rules: {}, skipWords: [], responses: {} };
  if (!isObj(root)) throw new Error(`${path} line 1: a custom sentences file is a mapping (language, intents, lists...)`);
  const lists: Record<string, SlotList> = {};
  for (const [name, v] of Object.entries(isObj(root['lists']) ? root['lists'] : {})) {
    if (homeLists.includes(name)) throw new Error(`${at(doc.getIn(['lists', name], true) as Node)}: {${name}} is the hub's own list (its devices, rooms or floors)`);
    lists[name] = readList(name, v, at(doc.getIn(['lists', name], true) as Node));
  }
  const template = (src: unknown, node: Node | null | undefined): TemplateNode => {
    if (typeof src !== 'string') throw new Error(`${at(node)}: a sentence is text`);
    try { return parseTemplate(src); } catch (err) {
      throw new Error(`${at(node)}: ${err instanceof TemplateError ? err.message : (err as Error).message}`);
    }
  };
  const rules: Record<string, TemplateNode> = {};
  for (const [name, v] of Object.entries(isObj(root['expansion_rules']) ? root['expansion_rules'] : {})) rules[name] = template(v, doc.getIn(['expansion_rules', name], true) as Node);
  const sentences: CustomSentence[] = [];
  for (const [intent, def] of Object.entries(isObj(root['intents']) ? root['intents'] : {})) {
    const data = isObj(def) && Array.isArray(def['data']) ? def['data'] : undefined;
    if (!data) throw new Error(`${at(doc.getIn(['intents', intent], true) as Node)}: intent ${intent} needs a data list`);
    data.forEach((block: unknown, b) => {
      const blockAt = at(doc.getIn(['intents', intent, 'data', b], true) as Node);
      if (!isObj(block) || !Array.isArray(block['sentences'])) throw new Error(`${blockAt}: each data entry needs sentences`);
      const ctx = isObj(block['requires_context']) ? block['requires_context'] : {};
      const not = isObj(block['excludes_context']) ? block['excludes_context'] : {};
      const area = ctx['area'];
      const parts = { domains: strings(ctx['domain']), deviceClasses: strings(ctx['device_class']), notDomains: strings(not['domain']), notDeviceClasses: strings(not['device_class']) };
      const given = Object.fromEntries(Object.entries(parts).filter(([, v]) => v !== undefined)) as DeviceContext;
      const devices: DeviceContext | undefined = Object.keys(given).length > 0 ? given : undefined;
      block['sentences'].forEach((src: unknown, j) => {
        const node = doc.getIn(['intents', intent, 'data', b, 'sentences', j], true) as Node;
        const tree = template(src, node);
        for (const l of references(tree).lists) if (!lists[l] && !homeLists.includes(l)) throw new Error(`${at(node)}: no list {${l}} (define it under lists:)`);
        for (const r of references(tree).rules) if (!rules[r]) throw new Error(`${at(node)}: no expansion rule <${r}> (define it under expansion_rules:)`);
        sentences.push({
          intent, tree, ...(devices ? { devices } : {}), slots: isObj(block['slots']) ? Object.fromEntries(Object.entries(block['slots']).map(([k, v]) => [k, typeof v === 'number' ? v : String(v)])) : {},
          needsArea: area !== undefined, areaSlot: isObj(area) && area['slot'] === true, response: typeof block['response'] === 'string' ? block['response'] : 'default', where: at(node),
        });
      });
    });
  }
  const responses: Record<string, Record<string, string>> = {};
  const rs = isObj(root['responses']) && isObj(root['responses']['intents']) ? root['responses']['intents'] : {};
  for (const [intent, v] of Object.entries(rs)) if (isObj(v)) responses[intent] = Object.fromEntries(Object.entries(v).map(([k, t]) => [k, String(t)]));
  const skip = Array.isArray(root['skip_words']) ? root['skip_words'].map(String) : [];
  return { sentences, lists, rules, skipWords: skip, responses };
}

/** Every *.yaml / *.yml file of the folder (a missing folder is none); bad files are left out, with their errors. */
export function loadCustomFolder(dir: string): { set: CustomSet; errors: string[] } {
  let files: string[];
  try { files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort(); } catch { files = []; }
  const parts: CustomSet[] = [];
  const errors: string[] = [];
  for (const f of files) {
    const path = join(dir, f);
    try { parts.push(parseCustomFile(path, readFileSync(path, 'utf8'))); } catch (err) { errors.push((err as Error).message); }
  }
  return {
    set: {
      sentences: parts.flatMap((p) => p.sentences), lists: Object.assign({}, ...parts.map((p) => p.lists)) as Record<string, SlotList>,
      rules: Object.assign({}, ...parts.map((p) => p.rules)) as Record<string, TemplateNode>, skipWords: parts.flatMap((p) => p.skipWords),
      responses: Object.assign({}, ...parts.map((p) => p.responses)) as Record<string, Record<string, string>>,
    },
    errors,
  };
}
