/**
 * Whether the recogniser was sure enough of a spoken request to act on it without asking. Not sure: the top
 * hypothesis's confidence is under `confirmBelow` (each engine's own, its confidences are on its own scale), or one
 * of the next hypotheses, nearly as likely, says the opposite action (on/off, lock/unlock, open/close, arm/disarm):
 * the hub then asks "Did you say ...?" instead of acting.
 */
import type { Transcript } from './engine.js';

const OPPOSITE: Readonly<Record<string, string>> = { on: 'off', off: 'on', lock: 'unlock', unlock: 'lock', open: 'close', close: 'open', arm: 'disarm', disarm: 'arm' };
/** How many hypotheses after the top one are read for an opposite action, and how close their confidence must be. */
const RIVALS = 2;
export const RIVAL_MARGIN = 0.05;

/** The gate for an engine's transcript: asr.<engine>ConfirmBelow. */
export function confirmGate(asr: { readonly pocketsphinxConfirmBelow: number; readonly amortizedConfirmBelow: number; readonly moonshineConfirmBelow: number }, engine: string): number {
  return engine === 'pocketsphinx' ? asr.pocketsphinxConfirmBelow : engine === 'amortized' ? asr.amortizedConfirmBelow : engine === 'moonshine' ? asr.moonshineConfirmBelow : 0;
}

export function needsConfirmation(t: Transcript, confirmBelow: number): boolean {
  const [top, ...rest] = t.hypotheses;
  if (!top) return false;
  if (top.confidence < confirmBelow) return true;
  const words = new Set(top.text.split(' '));
  return rest.slice(0, RIVALS).some((h) => top.confidence - h.confidence <= RIVAL_MARGIN
    && h.text.split(' ').some((w) => OPPOSITE[w] !== undefined && words.has(OPPOSITE[w]!) && !words.has(w)));
}
