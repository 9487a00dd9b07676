/**
 * A sentence after normalisation and tagging: the tokens, the tagged spans, and a skeleton in which
 * every span is a placeholder (NAME, AREA, FLOOR, KIND, MEASURE, BINARY, COLOR, WHITE) and every
 * number is NUM. Rules match the skeleton, so "turn off the kitchen lights" and "turn off the
 * bedroom lamps" are one shape: "turn off AREA KIND".
 */
import type { Lexicon, Span, Tag } from './lexicon.js';
import { tokens as tokenize } from './normalize.js';

export interface Parsed {
  readonly text: string;
  readonly tokens: readonly string[];
  readonly spans: readonly Span[];
  readonly skeleton: string;
  readonly numbers: readonly number[];
}

const PLACEHOLDER: Record<Tag['kind'], string> = {
  name: 'NAME', area: 'AREA', floor: 'FLOOR', kind: 'KIND', measure: 'MEASURE', binary: 'BINARY', color: 'COLOR', white: 'WHITE',
};

/** Words that carry no meaning for intent or slots: politeness, assistant names, hedges (every time they occur). */
const FILLERS: RegExp[] = [
  /^(hey|ok|okay|hi|hello)? ?(olly|alexa|siri|google|hearth|jarvis|mycroft|computer)\b/g, /\bhey siri\b/g,
  /\b(can|could|would|will) you (please )?/g, /\bplease\b/g, /\bfor me\b/g, /\bi (want|need|would like) you to\b/g,
  /\bthank you\b|\bthanks\b/g, /\bkindly\b/g, /\bjust\b/g, /\bright now\b/g, /\bgo ahead and\b/g, /\bi want to\b/g,
];

export function parse(text: string, lexicon: Lexicon): Parsed {
  const toks = tokenize(text);
  const spans = lexicon.tag(toks);
  const parts: string[] = [];
  const numbers: number[] = [];
  let i = 0;
  for (const span of spans) {
    for (; i < span.start; i++) parts.push(word(toks[i]!, numbers));
    parts.push(PLACEHOLDER[span.tag.kind]);
    i = span.end;
  }
  for (; i < toks.length; i++) parts.push(word(toks[i]!, numbers));
  return { text, tokens: toks, spans, skeleton: dropFillers(parts.join(' ')), numbers };
}

/** The words without politeness, assistant names and hedges (the skeleton's, and the templates' reading). */
export function dropFillers(words: string): string {
  let s = words;
  for (const re of FILLERS) s = s.replace(re, ' ');
  return s.replace(/\s+/g, ' ').trim();
}

function word(tok: string, numbers: number[]): string {
  if (/^\d+(\.\d+)?$/.test(tok)) {
    numbers.push(Number(tok));
    return 'NUM';
  }
  return tok;
}

export function first<K extends Tag['kind']>(p: Parsed, kind: K): Extract<Tag, { kind: K }> | undefined {
  return p.spans.find((s) => s.tag.kind === kind)?.tag as Extract<Tag, { kind: K }> | undefined;
}

export function all<K extends Tag['kind']>(p: Parsed, kind: K): Extract<Tag, { kind: K }>[] {
  return p.spans.filter((s) => s.tag.kind === kind).map((s) => s.tag as Extract<Tag, { kind: K }>);
}
