/**
 * Text -> IntentMatch. Parses once, reads it with Hearth's own sentence templates (runtime/nlu/sentences/en.yaml), else
 * tries the rules in order and scores the match by how much of the sentence the tags and the rule's cue words
 * explained. When the exact reading names no device or room but the sentence has a near miss of one ("turn on the desk lamb"), it reads the sentence
 * again with the name put right, and says so in the match (`corrected`) so the log shows it.
 */
import type { IntentMatch } from '../types/pipeline.js';
import type { Lexicon } from './lexicon.js';
import { parse, type Parsed } from './parse.js';
import { RULES } from './rules.js';
import { clean } from './targets.js';
import { later } from './clock.js';
import { normalize } from './normalize.js';
import { OwnSentences } from './templates/own.js';
import { ownSentences } from './templates/own-sentences.js';

let own: OwnSentences | undefined;

/** Whether Hearth's own templates are read first (on unless turned off: the bench's side by side with the rules alone). */
export function readOwnSentences(on: boolean): void {
  own = new OwnSentences(on ? ownSentences() : { sentences: [], lists: {}, rules: {}, skipWords: [], responses: {} });
}

/** Intents that never name a device: a near miss must not turn them into device commands. */
const NO_TARGET = new Set(['HearthDigits', 'HearthYes', 'HearthNo', 'HassNevermind', 'HassGetCurrentTime', 'HassGetCurrentDate', 'HassRespond']);

/** Requests that act on devices: one said for later ("at half past seven") carries `when`, and the hub does not act. */
const ACTS = new Set(['HassTurnOn', 'HassTurnOff', 'HassToggle', 'HassLightSet', 'HassSetPosition', 'HassClimateSetTemperature', 'HassSetVolume',
  'HassMediaPause', 'HassMediaUnpause', 'HassMediaNext', 'HassMediaPrevious', 'HassMediaSearchAndPlay', 'HassVacuumStart', 'HassVacuumReturnToBase', 'HearthApplyConcept',
  'HassSetVolumeRelative', 'HassMediaPlayerMute', 'HassMediaPlayerUnmute', 'HassFanSetSpeed', 'HassLawnMowerStartMowing', 'HassLawnMowerDock']);

/** "every light except the kitchen": no slot says "not there", and reading it without the exception does the opposite. */
const EXCEPT = /\b(except|apart from|but not|other than|besides|excluding)\b/;
/** "don't unlock the front door", "never open the garage": a request not to act is no request to. */
const NOT_TO = /^(never|do not|dont) (turn|switch|open|close|shut|lock|unlock|start|set|dim|put|run|activate)\b/;

export function recognize(text: string, lexicon: Lexicon): IntentMatch | undefined {
  const m = read(text, lexicon);
  if (!m || !ACTS.has(m.intent)) return m;
  const said = normalize(text); // "don't" is "do not" here
  if (EXCEPT.test(said) || NOT_TO.test(said)) return undefined;
  const when = later(said);
  return when ? { ...m, slots: { ...m.slots, when } } : m;
}

function read(text: string, lexicon: Lexicon): IntentMatch | undefined {
  const p = parse(text, lexicon);
  if (p.tokens.length === 0) return undefined;
  const exact = match(p, lexicon);
  if (exact && (NO_TARGET.has(exact.intent) || exact.slots.name)) return exact;
  const usable = p.tokens.map(() => true);
  const unknown = p.tokens.map(() => true);
  for (const s of p.spans) for (let i = s.start; i < s.end; i++) { unknown[i] = false; if (s.tag.kind === 'name') usable[i] = false; }
  const hit = lexicon.fuzzy().find(p.tokens, usable, unknown);
  if (!hit) return exact;
  const fixed = [...p.tokens.slice(0, hit.start), hit.entry.phrase, ...p.tokens.slice(hit.end)].join(' ');
  const again = match(parse(fixed, lexicon), lexicon);
  const gained = hit.entry.kind === 'name' ? again?.slots.name !== undefined : again?.slots.area !== undefined;
  if (!again || !gained || NO_TARGET.has(again.intent)) return exact;
  return {
    ...again, score: Math.round(again.score * hit.score * 100) / 100, rule: `${again.rule}+fuzzy`,
    corrected: { heard: hit.heard, as: hit.entry.phrase, score: hit.score },
  };
}

/** Hearth's own templates first (en.yaml: what the ASR grammar holds), then the rules for free phrasing. */
function match(p: Parsed, lexicon: Lexicon): IntentMatch | undefined {
  own ??= new OwnSentences(ownSentences());
  const said = own.read(p);
  if (said) return { ...said, slots: clean(said.slots) };
  for (const [, rule] of RULES) {
    const h = rule(p, lexicon);
    if (!h) continue;
    const tagged = p.spans.reduce((n, s) => n + (s.end - s.start), 0);
    const score = Math.min(1, 0.6 + 0.4 * (tagged / p.tokens.length) + (p.tokens.length <= 3 ? 0.2 : 0));
    return { intent: h.intent, slots: clean(h.slots), score: Math.round(score * 100) / 100, rule: h.rule };
  }
  return undefined;
}
