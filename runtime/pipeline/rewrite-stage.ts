/**
 * The rewrite stage: an exact cached request is always rewritten (it was learned or taught for those very words).
 * When the words as heard do not work here, the recogniser's other hypotheses are tried in order (as heard, then
 * through exact rewrites), and only then retrieval of a similar cached request. Whatever text comes out still goes
 * through NLU, resolution and the policy, so a sensitive action asks for confirmation and the PIN however it was reached.
 */
import type { RewrittenText } from '../types/pipeline.js';
import type { RewriteCache, RewriteHit } from '../rewrite/cache.js';

export interface RewriteContext {
  readonly cache: RewriteCache | undefined;
  /** The recogniser's other hypotheses, best first (speech only). */
  readonly alternatives: readonly string[];
  /** Whether this home can act on a text (understood, and the devices it names are here). */
  readonly works: (text: string) => boolean;
}

export function rewriteText(text: string, ctx: RewriteContext): RewrittenText {
  const { cache, works } = ctx;
  const applied = (hit: RewriteHit, alternative?: number): RewrittenText => {
    cache!.noteApplied(hit.rewrite.id);
    return { text: hit.rewrite.target, original: text, source: hit.rewrite.layer, ruleId: hit.rewrite.id, ...(alternative ? { alternative } : {}) };
  };
  const exact = cache?.lookup(text, works, false);
  if (exact) return applied(exact);
  if (works(text)) return { text, original: text, source: 'none' };
  for (const [i, alt] of ctx.alternatives.entries()) {
    if (works(alt)) return { text: alt, original: text, source: 'nbest', alternative: i + 2 };
    const hit = cache?.lookup(alt, works, false);
    if (hit) return applied(hit, i + 2);
  }
  const similar = cache?.lookup(text, works, true);
  return similar ? applied(similar) : { text, original: text, source: 'none' };
}
