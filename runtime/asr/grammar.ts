/**
 * The home's grammar (JSGF) for a grammar-based recogniser: the carrier phrases of the intents the
 * hub carries out, over the live device names, aliases and areas, plus numbers, PIN digits and the
 * dialogue words. A garbage loop of everyday words sits beside the commands: speech that is not a
 * command goes through it. Garbage before a command (the tail of the wake word, a false start) is
 * cut off; a hypothesis with no command after its garbage is rejected.
 */
import { normalize } from '../nlu/normalize.js';
import type { HomeWords } from './engine.js';
import { ownSentences } from '../nlu/templates/own-sentences.js';
import { contextKey, fitsContext, type CustomSentence, type DeviceContext } from '../nlu/templates/custom.js';
import type { TemplateNode } from '../nlu/templates/parse.js';
import { templateJsgf, type JsgfList } from '../nlu/templates/jsgf.js';
import { ANY_WORD } from './jsgf.js';

/**
 * Words for each kind of device, by Home Assistant domain (and domain:device_class): the grammar offers a kind only
 * when the home has one, so "turn on the tv" cannot be heard in a home without a tv.
 */
const KIND_WORDS: Readonly<Record<string, readonly string[]>> = {
  light: ['light', 'lights', 'lamp', 'lamps'], switch: ['switch', 'switches', 'plug', 'plugs'], fan: ['fan', 'fans'],
  climate: ['heating', 'thermostat'], cover: ['blinds', 'curtains', 'shades', 'cover'], 'cover:garage': ['garage door', 'garage'],
  'cover:gate': ['gate'], media_player: ['tv', 'television', 'speaker'], lock: ['door', 'lock'], vacuum: ['vacuum'],
  lawn_mower: ['mower', 'lawn mower'],
};
/** What a home's sensors (and thermostats) measure, as said. */
const MEASURE_WORDS: Readonly<Record<string, readonly string[]>> = {
  'sensor:temperature': ['temperature'], climate: ['temperature'], 'sensor:humidity': ['humidity'],
};
const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen',
  'sixteen', 'seventeen', 'eighteen', 'nineteen', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred'];
/** Everyday words for the garbage loop; none of them is a command word below. */
export const GARBAGE = ['and', 'but', 'so', 'we', 'you', 'they', 'he', 'she', 'was', 'were', 'have', 'had', 'going', 'go', 'went', 'said', 'know', 'think',
  'really', 'just', 'like', 'well', 'yeah', 'good', 'very', 'time', 'people', 'day', 'today', 'tomorrow', 'weather', 'news', 'work', 'home', 'car', 'dinner',
  'school', 'money', 'game', 'music', 'book', 'there', 'here', 'this', 'that', 'with', 'from', 'about', 'because', 'maybe', 'never', 'always', 'again'];

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
/** 0-999 in words: "Lamp 2" is said "lamp two". */
export function numberWords(n: number): string {
  if (n < 20) return ONES[n]!;
  if (n < 100) return `${TENS[Math.floor(n / 10)]}${n % 10 ? ` ${ONES[n % 10]}` : ''}`;
  return `${ONES[Math.floor(n / 100)]} hundred${n % 100 ? ` ${numberWords(n % 100)}` : ''}`;
}
const words = (s: string) => normalize(s).replace(/\b\d{1,3}\b/g, (d) => numberWords(Number(d))).replace(/[^a-z' ]/g, ' ').replace(/\s+/g, ' ').trim();
const alt = (xs: Iterable<string>) => [...new Set([...xs].map(words).filter(Boolean))].join(' | ');

/** The garbage loop's words for this home: the everyday words that no command and no name uses. */
export function garbageWords(home: HomeWords): Set<string> {
  // The device requests decide what is garbage; the sentences beyond them (timers, the weather, the household's own)
  // do not take everyday words out of the loop: on the natural-speech set they did, and wake words alone started
  // to come out as "light on" (4 of 45 other clips taken for commands against 1).
  const used = new Set(grammarWords(homeGrammar({ ...home, customPhrases: [] }, [], false)));
  return new Set(GARBAGE.filter((w) => !used.has(w)));
}

/**
 * Requests with a slot no grammar can list (a shopping-list item, a name the hub has not learned yet), for an
 * open-vocabulary engine: <any> is one to three words of whatever the model heard.
 */
const OPEN_PHRASES = [
  '(add | put) <any> (to | on) [my | the | our] <any> list',
  '(check off | complete | cross off | remove) <any> (from | on | off) [my | the | our] <any> list',
  '(activate | enable) <any>', '(start | begin | switch to) <any> mode',
];

/** Whether a template (through its expansion rules) has a {name} slot. */
function takesName(n: TemplateNode, rules: Readonly<Record<string, TemplateNode>>, depth = 0): boolean {
  if (depth > 20) return false;
  switch (n.k) {
    case 'list': return n.list === 'name';
    case 'rule': return rules[n.name] !== undefined && takesName(rules[n.name]!, rules, depth + 1);
    case 'seq': case 'perm': return n.items.some((x) => takesName(x, rules, depth));
    case 'alt': return n.options.some((x) => takesName(x, rules, depth));
    default: return false;
  }
}

const kindFits = (c: DeviceContext, kind: string) => { const [domain, cls] = kind.split(':'); return fitsContext(c, domain!, cls); };

/**
 * The home's lists for each device sentence of Hearth's own (runtime/nlu/sentences/en.yaml), as JSGF rules shared by the
 * sentences of the same requires_context: {name} the devices it fits (a name with no `devices` entry fits every one),
 * {kind} the kind words of the home it fits, {measure} what such devices measure here.
 */
class HomeLists {
  readonly rules: string[] = [];
  private readonly byContext = new Map<string, Record<string, JsgfList>>();
  /** Names with no `devices` entry (a home known only by its words): every sentence takes them. */
  private readonly untyped: readonly string[];
  get untypedNames(): boolean { return this.untyped.length > 0; }
  constructor(private readonly home: HomeWords, private readonly areas: boolean) {
    const typed = new Set((home.devices ?? []).flatMap((d) => [d.name, ...(d.aliases ?? [])]));
    this.untyped = home.names.filter((n) => !typed.has(n));
  }

  for(c: DeviceContext): Record<string, JsgfList> {
    const key = contextKey(c);
    let lists = this.byContext.get(key);
    if (!lists) {
      const names = alt([...(this.home.devices ?? []).filter((d) => fitsContext(c, d.domain, d.deviceClass)).flatMap((d) => [d.name, ...(d.aliases ?? [])]), ...this.untyped]);
      const ofHome = (table: Readonly<Record<string, readonly string[]>>) => alt(Object.entries(table).filter(([k]) => (!this.home.kinds || this.home.kinds.includes(k)) && kindFits(c, k)).flatMap(([, ws]) => ws));
      lists = { ...(this.areas ? { area: { jsgfRule: 'area' } } : {}) };
      const n = this.byContext.size;
      for (const [list, words] of [['name', names], ['kind', ofHome(KIND_WORDS)], ['measure', ofHome(MEASURE_WORDS)]] as const) {
        if (!words) continue;
        this.rules.push(`<${list}${n}> = ${words};`);
        lists[list] = { jsgfRule: `${list}${n}` };
      }
      this.byContext.set(key, lists);
    }
    return lists;
  }
}

/**
 * The grammar of this home, as Speech-to-Phrase builds its own: each verb over only the things it fits ("lock" over
 * locks, "activate" over scenes and scripts, brightness over lights: the device sentences of en.yaml and their
 * requires_context), so the recogniser never has to tell "unlock the lamp" from "turn on the lamp": the first is not a
 * sentence of this home. `withOwnPhrases`: also Hearth's sentences that are not about a device (timers, the weather).
 */
export function homeGrammar(home: HomeWords, garbage: readonly string[] = [...garbageWords(home)], withOwnPhrases = true, openSlots = false): string {
  const areas = alt(home.areas);
  const own = ownSentences();
  const lists = new HomeLists(home, Boolean(areas));
  // A sentence about devices the home lacks is no sentence of it ("pause" without a media player); a home known only by
  // its words (no kinds) has them all, and a name of no known kind is offered to every sentence that takes a {name}.
  const has = (s: CustomSentence) => !home.kinds || home.kinds.some((k) => kindFits(s.devices!, k)) || (lists.untypedNames && takesName(s.tree, own.rules));
  const speakable = (x: string | undefined): x is string => x !== undefined && (openSlots || !x.includes('<any>')); // only an open-vocabulary engine fills <any>
  const phrases = [
    ...own.sentences.filter((s) => s.devices && has(s)).map((s) => templateJsgf(s.tree, { ...own.lists, ...lists.for(s.devices!) }, own.rules)),
    ...(withOwnPhrases ? own.sentences.filter((s) => !s.devices).map((s) => templateJsgf(s.tree, own.lists, own.rules)) : []),
    ...(openSlots ? OPEN_PHRASES : []),
    ...(home.customPhrases ?? []),
  ].filter(speakable);
  return `#JSGF V1.0;
grammar home;
${areas ? `<area> = ${areas};\n` : ''}${lists.rules.join('\n')}
<number> = ${alt(NUMBERS)};${openSlots ? `\n<any> = ${ANY_WORD} [${ANY_WORD}] [${ANY_WORD}];` : ''}
<digit> = zero | oh | one | two | three | four | five | six | seven | eight | nine;
<polite> = please | can you | could you;
<command> = [<polite>] (
    ${[...phrases, `make me a coffee
  | <digit> <digit> <digit> <digit> [<digit>] [<digit>]
  | yes | no | cancel | stop`].join('\n  | ')}
  ) [please];
<wake> = ${WAKE_PHRASES.join(' | ')};
${garbage.length > 0 ? `<garbage> = (${alt(garbage)})+;
public <utterance> = [<wake>] [<garbage>] <command> | [<wake>] <garbage>;` : 'public <utterance> = [<wake>] <command>;'}
`;
}

/** Words of a grammar that the dictionary must know (for pronunciation look-ups and fallbacks). */
export function grammarWords(jsgf: string): string[] {
  // Rule bodies run from "=" to ";", over several lines for <command>.
  const body = [...jsgf.matchAll(/=([^;]*);/g)].map((m) => m[1]).join(' ');
  return [...new Set(body.replace(/<[^>]+>/g, ' ').replace(/[^a-z' ]/g, ' ').split(/\s+/).filter(Boolean))];
}

/** A rough letter-to-sound fallback (ARPAbet) for a name the dictionary lacks, e.g. a product name. */
export function fallbackPronunciation(word: string): string {
  const rules: [RegExp, string][] = [
    [/^tch/, 'CH'], [/^ch/, 'CH'], [/^sh/, 'SH'], [/^th/, 'TH'], [/^ph/, 'F'], [/^ng/, 'NG'], [/^ck/, 'K'], [/^qu/, 'K W'], [/^wh/, 'W'],
    [/^ee/, 'IY'], [/^ea/, 'IY'], [/^oo/, 'UW'], [/^ou/, 'AW'], [/^ow/, 'OW'], [/^ai/, 'EY'], [/^ay/, 'EY'], [/^oi/, 'OY'], [/^oy/, 'OY'], [/^au/, 'AO'],
    [/^a/, 'AE'], [/^e$/, ''], [/^e/, 'EH'], [/^i/, 'IH'], [/^o/, 'AA'], [/^u/, 'AH'], [/^y$/, 'IY'], [/^y/, 'Y'],
    [/^b/, 'B'], [/^c(?=[eiy])/, 'S'], [/^c/, 'K'], [/^d/, 'D'], [/^f/, 'F'], [/^g/, 'G'], [/^h/, 'HH'], [/^j/, 'JH'], [/^k/, 'K'], [/^l/, 'L'], [/^m/, 'M'],
    [/^n/, 'N'], [/^p/, 'P'], [/^q/, 'K'], [/^r/, 'R'], [/^s/, 'S'], [/^t/, 'T'], [/^v/, 'V'], [/^w/, 'W'], [/^x/, 'K S'], [/^z/, 'Z'],
  ];
  const phones: string[] = [];
  let rest = word.toLowerCase().replace(/[^a-z]/g, '');
  while (rest.length > 0) {
    const rule = rules.find(([re]) => re.test(rest));
    if (!rule) { rest = rest.slice(1); continue; }
    const m = rule[0].exec(rest)!;
    if (rule[1]) phones.push(rule[1]);
    rest = rest.slice(Math.max(1, m[0].length));
  }
  return phones.join(' ').replace(/(\b\w+\b)( \1\b)+/g, '$1');
}

/**
 * The shipped wake phrases: the utterance starts in the pre-roll, so its first words are often the end
 * of the wake word itself. The grammar lets them lead; they are cut off like garbage.
 */
export const WAKE_PHRASES = ['alexa', '[hey] jarvis', '[hey] mycroft', '[hey] rhasspy'];
export const WAKE_WORDS: ReadonlySet<string> = new Set(['alexa', 'hey', 'jarvis', 'mycroft', 'rhasspy']);

const SHORT_ANSWER = /^((zero|oh|one|two|three|four|five|six|seven|eight|nine) ?)+( please)?$|^(yes|no|never mind|cancel|stop)( please)?$/;

/**
 * The command part of a hypothesis (leading garbage words cut off), or undefined when there is none.
 * After garbage, a bare answer (digits, yes, no) is not taken: chatter ending in numbers is not a PIN.
 */
export function commandPart(text: string, garbage: ReadonlySet<string>): string | undefined {
  const ws = text.split(' ').filter(Boolean);
  let i = 0;
  while (i < ws.length && WAKE_WORDS.has(ws[i]!)) i++;
  const afterWake = i;
  while (i < ws.length && garbage.has(ws[i]!)) i++;
  const rest = ws.slice(i).join(' ');
  if (!rest || rest.split(' ').some((w) => garbage.has(w))) return undefined; // commands never use garbage words
  return i > afterWake && SHORT_ANSWER.test(rest) ? undefined : rest;
}
