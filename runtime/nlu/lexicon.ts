/**
 * The home's words: device names and aliases, areas, floors, kinds of device, measures and colours,
 * in one phrase table that tags a sentence's spans (longest match first; a device name beats an area
 * beats a kind word on a tie). Built once per registry revision, not per sentence.
 */
import { normalize } from './normalize.js';
import { FuzzyNames } from './fuzzy.js';
import { BINARY_CLASS_WORDS, COLORS, DEVICE_KIND_WORDS, MEASURE_WORDS, WHITE_TEMPERATURES_MIRED } from './vocabulary.js';

export interface LexDevice {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly domain: string;
  readonly deviceClass?: string;
  readonly area?: string;
}

export type Tag =
  | { kind: 'name'; value: string; domain: string; deviceClass?: string }
  | { kind: 'area'; value: string }
  | { kind: 'floor'; value: string }
  | { kind: 'kind'; domain: string; deviceClass?: string; plural: boolean }
  | { kind: 'measure'; deviceClass: string }
  | { kind: 'binary'; deviceClass: string }
  | { kind: 'color'; value: string }
  | { kind: 'white'; mired: number; value: string };

const RANK: Record<Tag['kind'], number> = { name: 6, area: 5, floor: 4, white: 3, color: 3, binary: 2, kind: 1, measure: 1 };

export interface Span {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly tag: Tag;
}

export class Lexicon {
  private readonly phrases = new Map<string, Tag[]>();
  private maxLen = 1;
  private fuzzyNames: FuzzyNames | undefined;
  readonly devices: readonly LexDevice[];
  readonly areas: readonly string[];
  readonly floors: readonly string[];

  constructor(devices: readonly LexDevice[], areas: readonly string[], floors: readonly string[]) {
    this.devices = devices;
    this.areas = areas;
    this.floors = floors;
    for (const [w, k] of Object.entries(DEVICE_KIND_WORDS)) {
      const base = { kind: 'kind', domain: k.domain, ...(k.deviceClass ? { deviceClass: k.deviceClass } : {}) } as const;
      // "lighting" is a mass noun: like "the lights", it means all of them.
      this.add(w, { ...base, plural: w.endsWith('s') || w === 'lighting' });
      this.add(plural(w), { ...base, plural: true });
    }
    for (const [w, c] of Object.entries(MEASURE_WORDS)) this.add(w, { kind: 'measure', deviceClass: c });
    for (const [w, b] of Object.entries(BINARY_CLASS_WORDS)) { this.add(w, { kind: 'binary', deviceClass: b.deviceClass }); this.add(plural(w), { kind: 'binary', deviceClass: b.deviceClass }); }
    for (const c of Object.keys(COLORS)) this.add(c, { kind: 'color', value: c });
    for (const [w, m] of Object.entries(WHITE_TEMPERATURES_MIRED)) this.add(w, { kind: 'white', mired: m, value: w });
    for (const f of floors) this.add(f, { kind: 'floor', value: f });
    for (const a of areas) this.add(a, { kind: 'area', value: a });
    for (const d of devices) {
      const tag: Tag = { kind: 'name', value: d.name, domain: d.domain, ...(d.deviceClass ? { deviceClass: d.deviceClass } : {}) };
      for (const n of [d.name, ...d.aliases].map(normalize)) {
        this.add(n, tag);
        this.add(plural(n), tag);
        if (n.endsWith('s')) this.add(n.slice(0, -1), tag);
      }
    }
  }

  private add(phrase: string, tag: Tag): void {
    const key = normalize(phrase);
    if (!key) return;
    const list = this.phrases.get(key) ?? [];
    if (!list.some((t) => JSON.stringify(t) === JSON.stringify(tag))) list.push(tag);
    this.phrases.set(key, list);
    this.maxLen = Math.max(this.maxLen, key.split(' ').length);
  }

  /** Tags at the best span starting at each position, left to right, longest first. */
  tag(tokens: readonly string[]): Span[] {
    const spans: Span[] = [];
    let i = 0;
    while (i < tokens.length) {
      let best: Span | undefined;
      for (let len = Math.min(this.maxLen, tokens.length - i); len >= 1 && !best; len--) {
        const text = tokens.slice(i, i + len).join(' ');
        const tags = this.phrases.get(text);
        if (!tags) continue;
        if (len === 1 && isVerbUse(tokens, i)) continue;
        // A device literally named like a kind word ("Light") loses to the kind word: people mean the kind.
        const kindTag = tags.find((t) => t.kind === 'kind');
        const nameTag = tags.find((t) => t.kind === 'name');
        const tag = kindTag && nameTag && (kindTag as { domain: string }).domain !== (nameTag as { domain: string }).domain
          ? kindTag : [...tags].sort((a, b) => RANK[b.kind] - RANK[a.kind])[0]!;
        // "the bedroom curtains" when one device is called "Bedroom Curtain": the plural asks about a kind in an area.
        if (tag.kind === 'name' && normalize(tag.value) !== text && this.areaThenKind(tokens.slice(i, i + len))) continue;
        best = { start: i, end: i + len, text, tag };
      }
      if (best) { spans.push(best); i = best.end; } else i++;
    }
    return this.measuresOverBareNames(spans);
  }

  private areaThenKind(words: readonly string[]): boolean {
    for (let k = 1; k < words.length; k++) {
      const area = this.phrases.get(words.slice(0, k).join(' '))?.some((t) => t.kind === 'area');
      if (area && this.phrases.get(words.slice(k).join(' '))?.some((t) => t.kind === 'kind')) return true;
    }
    return false;
  }

  /**
   * A device named just like a measure (HA discovery's "Temperature", a sensor with no device name) does not capture
   * the word in a request for a room it is not in: "the temperature in the kitchen" is the kitchen's temperature.
   */
  private measuresOverBareNames(spans: Span[]): Span[] {
    const areas = spans.flatMap((s) => (s.tag.kind === 'area' ? [s.tag.value] : []));
    if (areas.length === 0) return spans;
    return spans.map((s) => {
      if (s.tag.kind !== 'name') return s;
      const measure = this.phrases.get(s.text)?.find((t) => t.kind === 'measure');
      if (!measure) return s;
      const named = this.devices.filter((d) => [d.name, ...d.aliases].some((n) => normalize(n) === s.text || plural(normalize(n)) === s.text));
      return named.some((d) => d.area !== undefined && areas.includes(d.area)) ? s : { ...s, tag: measure };
    });
  }

  /** Near-miss matching over names and areas, built on first use (most sentences never need it). */
  fuzzy(): FuzzyNames {
    this.fuzzyNames ??= new FuzzyNames([
      ...this.devices.flatMap((d) => [d.name, ...d.aliases].map((n) => ({ phrase: normalize(n), kind: 'name' as const }))),
      ...this.areas.map((a) => ({ phrase: normalize(a), kind: 'area' as const })),
    ]);
    return this.fuzzyNames;
  }

  /** Every device tag a phrase has (a name can be shared by several devices). */
  tagsOf(phrase: string): readonly Tag[] {
    return this.phrases.get(normalize(phrase)) ?? [];
  }
}

/** "switch off", "light up", "power on": the word is a verb here, not a kind of device. */
function isVerbUse(tokens: readonly string[], i: number): boolean {
  const w = tokens[i];
  const next = tokens[i + 1];
  if ((w === 'switch' || w === 'power' || w === 'flip') && (next === 'on' || next === 'off' || next === 'it' || next === 'them' || next === 'the' || next === 'all' || next === 'my' || next === 'every' || next === 'each' || next === 'everything')) return true;
  if (w === 'light' && next === 'up') return true;
  return false;
}

function plural(w: string): string {
  if (/(s|sh|ch|x)$/.test(w)) return `${w}es`;
  if (/[^aeiou]y$/.test(w)) return `${w.slice(0, -1)}ies`;
  return `${w}s`;
}
