/**
 * Which stage a defective turn failed in first, irrecoverably (after Alexa's failure-point
 * isolation): false wake, ASR, NLU, entity resolution, or the result. A failure a later stage
 * recovered from (a clarifying question that was answered, a rewrite that fixed the words) is not
 * the failure point. Rules over what the log holds: the outcome and error code, the source, the
 * rewrite used, and what the person did next (their rephrase shows what they meant).
 * This is the rule baseline; a learned model on simulator faults is the next step (issue 5).
 */
export type FailureStage = 'wake' | 'asr' | 'nlu' | 'resolve' | 'result';

export interface TurnFacts {
  readonly source: string;
  readonly outcome: string;
  readonly errorCode: string | null;
  readonly intent: string | null;
  /** Device ids the turn commanded. */
  readonly targets: readonly string[];
  /** The feedback label's reason: success, failed, rephrase, explicit-negative, reversal, barge-in. */
  readonly reason: string;
  /** A rewrite was applied (its layer), or none. */
  readonly rewrite: string | null;
  /** The next request in the same conversation, if the person rephrased. */
  readonly next?: { readonly intent: string | null; readonly targets: readonly string[]; readonly outcome: string };
}

const RESOLVE_CODES = new Set(['no-device-matched', 'reference-unresolved', 'no-target', 'operation-unsupported', 'clarify-failed']);

export function failurePoint(t: TurnFacts): FailureStage | undefined {
  if (t.reason === 'success') return undefined;
  // The wake word fired and nobody asked anything: a false wake.
  if (t.errorCode === 'wake-false' || (t.source === 'speech' && (t.errorCode === 'asr-no-speech' || t.errorCode === 'vad-no-speech'))) return 'wake';
  if (t.errorCode?.startsWith('asr-')) return 'asr';
  if (t.outcome === 'no-match' || t.errorCode === 'intent-no-match') return t.source === 'speech' ? 'asr' : 'nlu';
  if (t.outcome === 'not-supported' || t.errorCode === 'intent-not-supported') return 'result';
  if (t.outcome === 'no-device' || (t.errorCode && RESOLVE_CODES.has(t.errorCode))) {
    // A device word the hub never heard of: when the person then named a device that exists, the words were fine
    // and the hub could not map them (resolution); from audio, a misheard name is the recogniser's.
    return t.source === 'speech' ? 'asr' : 'resolve';
  }
  if (t.reason === 'explicit-negative' || t.reason === 'reversal' || t.reason === 'barge-in') {
    // It did something, and it was wrong. The rephrase tells what was meant.
    // A different intent: understanding (a rewrite is part of that path) took the words the wrong way.
    if (t.next && t.next.intent !== t.intent) return 'nlu';
    if (t.next && t.next.targets.join() !== t.targets.join()) return 'resolve';
    return 'result';
  }
  if (t.outcome === 'error') return 'result';
  return 'nlu';
}
