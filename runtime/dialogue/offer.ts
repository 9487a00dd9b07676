/**
 * When the same request fails twice in a row, the hub offers to learn it: "What should I do when you
 * say ...?". The next request, if it works, is remembered as a taught rewrite of the one that
 * failed, so saying the old words does the new thing from then on. Taught rewrites still go through
 * understanding and policy like any request: they cannot skip the PIN.
 */
import type { VoiceResponse } from '../types/pipeline.js';
import type { RewriteCache } from '../rewrite/cache.js';
import { normalize } from '../nlu/normalize.js';
import type { Session } from './session.js';

const FAILED = new Set(['no-match', 'no-device', 'not-supported']);
const REPEAT_WINDOW_MS = 120_000;

export class LearnOffer {
  constructor(private readonly session: Session, private readonly rewrites: RewriteCache | undefined, private readonly nowMs: () => number, private readonly followUpMs: number) {}

  /** After a turn: remember a failure, and offer to learn when it is the second in a row. */
  afterTurn(text: string, response: VoiceResponse, teachingFor: string | undefined): VoiceResponse {
    const now = this.nowMs();
    if (teachingFor !== undefined) return this.learned(teachingFor, text, response);
    if (!this.rewrites || !FAILED.has(response.outcome) || response.continueConversation) {
      this.session.lastFailure = undefined;
      return response;
    }
    const said = normalize(text);
    const last = this.session.lastFailure;
    this.session.lastFailure = { text: said, atMs: now };
    if (!last || last.text !== said || now - last.atMs > REPEAT_WINDOW_MS) return response;
    this.session.lastFailure = undefined;
    this.session.pending = { kind: 'teach-rewrite', source: said, expiresAtMs: now + this.followUpMs };
    return { speech: `${response.speech} I didn't get that twice. What should I do when you say "${said}"? Say it another way and I'll remember.`, outcome: 'asked', continueConversation: true };
  }

  private learned(source: string, text: string, response: VoiceResponse): VoiceResponse {
    if (response.outcome !== 'action-done' && response.outcome !== 'answered' && response.outcome !== 'asked') return response;
    if (normalize(text) === source) return response;
    this.rewrites!.add('taught', source, text);
    return { ...response, speech: `OK, from now on "${source}" means that. ${response.speech}` };
  }
}
