/**
 * Text -> IntentMatch. Parses once, tries the rules in order, scores the match by how much of the
 * sentence the tags and the rule's cue words explained.
 */
import type { IntentMatch } from '../types/pipeline.js';
import type { Lexicon } from './lexicon.js';
import { parse } from './parse.js';
import { RULES } from './rules.js';
import { clean } from './targets.js';

export function recognize(text: string, lexicon: Lexicon): IntentMatch | undefined {
  const p = parse(text, lexicon);
  if (p.tokens.length === 0) return undefined;
  for (const [, rule] of RULES) {
    const h = rule(p, lexicon);
    if (!h) continue;
    const tagged = p.spans.reduce((n, s) => n + (s.end - s.start), 0);
    const score = Math.min(1, 0.6 + 0.4 * (tagged / p.tokens.length) + (p.tokens.length <= 3 ? 0.2 : 0));
    return { intent: h.intent, slots: clean(h.slots), score: Math.round(score * 100) / 100, rule: h.rule };
  }
  return undefined;
}
