/**
 * Text normalisation shared by the recogniser, the lexicon and (later) the rewrite cache: lower
 * case, contractions expanded, number words turned into digits, "percent" into "%", punctuation
 * dropped. Names from the registry go through the same function so that both sides meet.
 */
/** Number words under twenty (exported: digit words for the PIN check, policy/secret.ts). */
export const UNITS: Readonly<Record<string, number>> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

const CONTRACTIONS: [RegExp, string][] = [
  [/\bwhat's\b/g, 'what is'], [/\bwhere's\b/g, 'where is'], [/\bwho's\b/g, 'who is'], [/\bhow's\b/g, 'how is'],
  [/\bit's\b/g, 'it is'], [/\bthat's\b/g, 'that is'], [/\bthere's\b/g, 'there is'], [/\blet's\b/g, 'let us'],
  [/\bi'm\b/g, 'i am'], [/\bi'd\b/g, 'i would'], [/\bi'll\b/g, 'i will'], [/\byou're\b/g, 'you are'],
  [/\bcan't\b/g, 'can not'], [/\bwon't\b/g, 'will not'], [/\b(\w+)n't\b/g, '$1 not'], [/\b(\w+)'s\b/g, '$1'],
  [/\bnevermind\b/g, 'never mind'],
];

/** Number words -> digits. "one two three four" stays four numbers (a PIN); "twenty one" is 21. */
function numbersToDigits(tokens: string[]): string[] {
  const out: string[] = [];
  let acc: number | undefined;
  let lastKind: 'unit' | 'teen' | 'tens' | 'hundred' | undefined;
  const flush = () => {
    if (acc !== undefined) out.push(String(acc));
    acc = undefined;
    lastKind = undefined;
  };
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!;
    const unit = UNITS[w];
    const tens = TENS[w];
    // "oh" is a zero inside a run of digits, and at its start when a digit follows ("oh four two six", a PIN).
    const nextUnit = UNITS[tokens[i + 1] ?? ''];
    if (w === 'oh' && acc === undefined && !(tokens[i + 1] === 'oh' || (nextUnit !== undefined && nextUnit < 10))) { out.push(w); continue; }
    if (unit !== undefined) {
      const kind = unit < 10 ? 'unit' : 'teen';
      if (acc !== undefined && kind === 'unit' && (lastKind === 'tens' || lastKind === 'hundred')) { acc += unit; lastKind = 'unit'; continue; }
      if (acc !== undefined && kind === 'teen' && lastKind === 'hundred') { acc += unit; lastKind = 'teen'; continue; }
      flush();
      acc = unit;
      lastKind = kind;
      continue;
    }
    if (tens !== undefined) {
      if (acc !== undefined && lastKind === 'hundred') { acc += tens; lastKind = 'tens'; continue; }
      flush();
      acc = tens;
      lastKind = 'tens';
      continue;
    }
    if (w === 'hundred') {
      // "a hundred", and a bare "hundred" ("brightness to hundred percent"), are 100.
      if (acc === undefined) { if (out[out.length - 1] === 'a') out.pop(); acc = 1; }
      acc *= 100;
      lastKind = 'hundred';
      continue;
    }
    if (w === 'and' && lastKind === 'hundred' && (UNITS[tokens[i + 1] ?? ''] !== undefined || TENS[tokens[i + 1] ?? ''] !== undefined)) continue;
    flush();
    out.push(w);
  }
  flush();
  return out;
}

const ORDINALS = ['', 'first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
/** A level said as a fraction ("to half", "at a quarter"), not a time ("half an hour", "a quarter past"). */
const NOT_TIME = String.raw`(?! (?:of )?(?:an? )?(?:hours?|minutes?|seconds?|past|to)\b)`;
const FRACTIONS: [RegExp, string][] = [
  [new RegExp(String.raw`\b(to|at) (?:a |1 )?half\b` + NOT_TIME, 'g'), '$1 50 %'],
  [new RegExp(String.raw`\b(to|at) (?:a |1 )?quarter\b` + NOT_TIME, 'g'), '$1 25 %'],
  [new RegExp(String.raw`\b(to|at) 3 quarters\b` + NOT_TIME, 'g'), '$1 75 %'],
  [/\bhalf brightness\b/g, '50 % brightness'],
  // "shut the blinds halfway": a position, not a near miss of "hallway".
  [/\b(open|close|shut|raise|lower|set|put|move|bring|roll)\b((?: \S+){0,5}?) (?:to )?half ?way(?: (?:open|closed|up|down))?\b/g, '$1$2 to 50 %'],
];

export function normalize(text: string): string {
  let s = text.toLowerCase().normalize('NFKC').replace(/[\u2018\u2019`´]/g, "'");
  s = s.replace(/\[(.)\]/g, '$1'); // Home Assistant's optional-character syntax in names: Joe[']s
  for (const [re, rep] of CONTRACTIONS) s = s.replace(re, rep);
  s = s.replace(/(\d)\s*°\s*[cf]?\b/g, '$1 degrees ').replace(/°/g, ' degrees ');
  s = s.replace(/\b1\/2\b/g, ' half ').replace(/(\d),(\d{3})\b/g, '$1$2');
  // "2nd floor" is the "Second Floor" (to tenth); a larger ordinal keeps its number ("the 21st" -> 21).
  s = s.replace(/\b(\d{1,3})(?:st|nd|rd|th)\b/g, (_m, d: string) => ORDINALS[Number(d)] ?? d);
  s = s.replace(/(\d+(?:\.\d+)?)\s*%/g, '$1 % ').replace(/\bper ?cent\b|\bpct\b/g, ' % ');
  s = s.replace(/(\d)(?=[a-z])/g, '$1 ').replace(/([a-z])(?=\d)/g, (m, c: string, off: number, whole: string) => (/\b(co|no|so|pm|o|n|h|ch|c)$/.test(whole.slice(0, off + 1)) ? c : `${c} `));
  s = s.replace(/(\d)\.(\d)/g, '$1\u0000$2').replace(/[^a-z0-9%\u0000\s]/g, ' ').replace(/\u0000/g, '.');
  const tokens = s.split(/\s+/).filter((t) => t.length > 0);
  // Decimals as people say them: "twenty point five" -> 20.5, "twenty one and a half" -> 21.5.
  let out = numbersToDigits(tokens).join(' ')
    .replace(/\b(\d+) point ((?:\d )*\d)\b/g, (_m, whole: string, frac: string) => `${whole}.${frac.replace(/ /g, '')}`)
    .replace(/\b(\d+) and (?:a )?half\b/g, (_m, whole: string) => `${whole}.5`);
  for (const [re, rep] of FRACTIONS) out = out.replace(re, rep);
  return out;
}

export function tokens(text: string): string[] {
  const n = normalize(text);
  return n === '' ? [] : n.split(' ');
}
