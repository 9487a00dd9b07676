/**
 * A simulated household for measuring self-learning, since no real logs exist: members with their
 * own words for devices (names the hub was never told), ASR-like slips (phonetic confusions, a
 * dropped word), phrasings the rules do not parse, and the way people react to a failure: rephrase
 * with the device's real name, or give up. Every request knows what the person meant, so a turn
 * is judged by what the hub actually switched, not by what it said.
 */

/** Deterministic PRNG (mulberry32): the same seed gives the same weeks. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SimDevice { readonly name: string; readonly area: string; readonly kind: 'light' | 'switch' }
export const HOME: readonly SimDevice[] = [
  { name: 'Living Room Lamp', area: 'Living Room', kind: 'light' }, { name: 'Ceiling Light', area: 'Living Room', kind: 'light' },
  { name: 'Kitchen Light', area: 'Kitchen', kind: 'light' }, { name: 'Bedroom Lamp', area: 'Bedroom', kind: 'light' },
  { name: 'Big Screen', area: 'Living Room', kind: 'switch' }, { name: 'Coffee Maker', area: 'Kitchen', kind: 'switch' },
  { name: 'Desk Fan', area: 'Office', kind: 'switch' }, { name: 'Hall Light', area: 'Hallway', kind: 'light' },
];

export interface Member {
  readonly name: string;
  /** Their own words for devices, used instead of the name with probability `nicknameRate`. */
  readonly nicknames: Readonly<Record<string, string>>;
  readonly nicknameRate: number;
  /** Per word, the chance the recogniser mishears it (from CONFUSIONS). */
  readonly slipRate: number;
  /** Their habitual phrasings; {d} is the device, {on} is on/off. */
  readonly templates: readonly string[];
  /** After a failure: chance they rephrase with the real name (else they give up). */
  readonly rephraseRate: number;
  /** Which devices they use, with weights. */
  readonly devices: readonly [string, number][];
}

export const MEMBERS: readonly Member[] = [
  { name: 'alice', nicknames: { 'Big Screen': 'telly', 'Ceiling Light': 'big light' }, nicknameRate: 0.7, slipRate: 0.04, rephraseRate: 0.9,
    templates: ['turn {on} the {d}', 'switch {on} the {d}', 'put the {d} {on}'], devices: [['Big Screen', 3], ['Ceiling Light', 3], ['Living Room Lamp', 2], ['Kitchen Light', 1]] },
  { name: 'bob', nicknames: { 'Coffee Maker': 'coffee machine thing', 'Desk Fan': 'breeze' }, nicknameRate: 0.6, slipRate: 0.08, rephraseRate: 0.8,
    templates: ['turn {on} the {d}', '{d} {on}', 'can you turn {on} the {d}'], devices: [['Coffee Maker', 3], ['Desk Fan', 2], ['Hall Light', 2], ['Kitchen Light', 2]] },
  { name: 'carol', nicknames: { 'Bedroom Lamp': 'reading light', 'Hall Light': 'landing light' }, nicknameRate: 0.5, slipRate: 0.12, rephraseRate: 0.85,
    templates: ['turn {on} the {d}', 'switch the {d} {on}', 'please turn {on} the {d}'], devices: [['Bedroom Lamp', 3], ['Hall Light', 2], ['Big Screen', 1], ['Living Room Lamp', 2]] },
];

/** Phonetic confusions a small recogniser makes on these words. */
const CONFUSIONS: Readonly<Record<string, readonly string[]>> = {
  lamp: ['lamb', 'lump'], light: ['like', 'lite'], kitchen: ['kitten'], bedroom: ['bed room', 'bedrum'], coffee: ['toffee', 'cough he'],
  screen: ['scream'], fan: ['van', 'fun'], hall: ['haul', 'hole'], ceiling: ['sealing'], maker: ['baker'], desk: ['disk'], telly: ['tele', 'tell he'],
  living: ['leaving'], room: ['rum'], big: ['pig'], turn: ['tun'], reading: ['weeding'],
};

export type InjectedFault = 'wake' | 'asr' | 'nlu' | 'resolve' | 'result';

export interface Request {
  readonly member: string;
  /** Faults put into this request on purpose, by stage; the first one in pipeline order is where it should fail. */
  readonly faults: readonly InjectedFault[];
  /** What they meant. */
  readonly device: string;
  readonly power: 'on' | 'off';
  /** What the hub hears first. */
  readonly heard: string;
  /** What they said, before the recogniser's slips. */
  readonly said?: string;
  /** What they say if that fails (undefined: they give up). */
  readonly rephrase?: string;
  readonly atMs: number;
}

function weighted<T>(r: () => number, items: readonly [T, number][]): T {
  const total = items.reduce((a, [, w]) => a + w, 0);
  let x = r() * total;
  for (const [v, w] of items) if ((x -= w) < 0) return v;
  return items.at(-1)![0];
}

function slip(r: () => number, text: string, rate: number): string {
  const words = text.split(' ').map((w) => (CONFUSIONS[w] && r() < rate ? CONFUSIONS[w]![Math.floor(r() * CONFUSIONS[w]!.length)]! : w));
  if (words.length > 4 && r() < rate / 2) words.splice(1 + Math.floor(r() * (words.length - 2)), 1); // a dropped word
  return words.join(' ');
}

/** Phrasings the hub's rules do not parse (NLU faults). */
const UNPARSED = ['i would love the {d} {on} now', 'how about the {d} goes {on}', '{on} with the {d} would be nice'];
/** What a television says when it wakes the hub by accident (false wakes). */
const TV = ['and in other news the minister said today', 'stay tuned for the weather after the break', 'the match ended two goals to one', 'coming up next a look at the markets'];
/** Requests the hub understands but cannot carry out (result faults). */
const UNSUPPORTED = ['what is the weather like tomorrow', 'add milk to my shopping list', 'play some jazz in the kitchen'];

/** `days` of requests, 8-14 a day across the members, starting at `startMs`. */
export function week(seed: number, startMs: number, days: number): Request[] {
  const r = rng(seed);
  const out: Request[] = [];
  for (let day = 0; day < days; day++) {
    const n = 8 + Math.floor(r() * 7);
    for (let k = 0; k < n; k++) {
      const m = MEMBERS[Math.floor(r() * MEMBERS.length)]!;
      const device = weighted(r, m.devices);
      const power = r() < 0.55 ? 'on' : 'off';
      const atMs = startMs + day * 86_400_000 + (7 + k) * 3_600_000;
      const kind = r();
      if (kind < 0.06) { out.push({ member: m.name, device: '', power, heard: TV[Math.floor(r() * TV.length)]!, atMs, faults: ['wake'] }); continue; }
      if (kind < 0.11) { out.push({ member: m.name, device: '', power, heard: UNSUPPORTED[Math.floor(r() * UNSUPPORTED.length)]!, atMs, faults: ['result'] }); continue; }
      const nick = m.nicknames[device];
      const useNick = nick !== undefined && r() < m.nicknameRate;
      const word = useNick ? nick : device.toLowerCase();
      const unparsed = r() < 0.08;
      const template = unparsed ? UNPARSED[Math.floor(r() * UNPARSED.length)]! : m.templates[Math.floor(r() * m.templates.length)]!;
      const said = template.replace('{d}', word).replace('{on}', power);
      const heard = slip(r, said, m.slipRate);
      const faults: InjectedFault[] = [...(heard !== said ? ['asr' as const] : []), ...(unparsed ? ['nlu' as const] : []), ...(useNick ? ['resolve' as const] : [])];
      out.push({
        member: m.name, device, power, heard, said, atMs, faults,
        ...(r() < m.rephraseRate ? { rephrase: slip(r, `turn ${power} the ${device.toLowerCase()}`, m.slipRate / 2) } : {}),
      });
    }
  }
  return out;
}
