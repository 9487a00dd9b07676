/** What every intent rule shares: the hit it returns, and the cue patterns for questions and on/off. */
import type { IntentSlots } from '../../types/pipeline.js';
import type { IntentName } from '../../types/intents.js';
import type { Parsed } from '../parse.js';
import type { Lexicon } from '../lexicon.js';

export interface RuleHit { readonly intent: IntentName; readonly slots: IntentSlots; readonly rule: string }
export type Rule = (p: Parsed, lex: Lexicon) => RuleHit | undefined;

export const hit = (intent: IntentName, rule: string, slots: IntentSlots = {}): RuleHit => ({ intent, rule, slots });
export const has = (p: Parsed, re: RegExp) => re.test(p.skeleton);
export const raw = (p: Parsed) => p.tokens.join(' ');

export const QUESTION = /^(is|are|was|were|did (i|we|you|someone|somebody|anyone|anybody|they)|why|how come|when (did|was|were|is|are)|should (i|we)|which|what|whats|how many|how much|how (warm|hot|cold|cool)|who|where|does|do|tell me|check|show me|any|can you tell me|(have|has) (any|anyone|anybody|someone|somebody|there|the \S+ (been|got)))\b/;
export const ON_CUE = /\b(turn|switch|power|flip|put|bring|set) (\S+ ){0,6}?on\b|\bon$|\b(activate|enable|start|illuminate|light up|run|launch|fire up|boot up)\b|\bon (in|at) /;
export const OFF_CUE = /\b(turn|switch|power|shut|put|bring|flip|set) (\S+ ){0,6}?off\b|\boff$|\b(deactivate|disable|kill|cut)\b|\boff (in|at) |\bKIND out\b/;
