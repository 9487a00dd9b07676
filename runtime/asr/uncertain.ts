/**
 * Whether the recogniser was sure enough of a spoken request to act on it without asking. Not sure: the top
 * hypothesis's confidence is under `confirmBelow`, or one of the next hypotheses says the opposite action
 * (on/off, lock/unlock, open/close, arm/disarm): the hub then asks "Did you say ...?" instead of acting.
 */
import type { Transcript } from './engine.js';

const OPPOSITE: Readonly<Record<string, string>> = { on: 'off', off: 'on', lock: 'unlock', unlock: 'lock', open: 'close', close: 'open', arm: 'disarm', disarm: 'arm' };
/** How many hypotheses after the top one are read for an opposite action. */
const RIVALS = 2;

export function needsConfirmation(t: Transcript, confirmBelow: number): boolean {
  const [top, ...rest] = t.hypotheses;
  if (!top) return false;
  if (top.confidence < confirmBelow) return true;
  const words = new Set(top.text.split(' '));
  return rest.slice(0, RIVALS).some((h) => h.text.split(' ').some((w) => OPPOSITE[w] !== undefined && words.has(OPPOSITE[w]!) && !words.has(w)));
}
