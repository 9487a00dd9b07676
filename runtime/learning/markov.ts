/**
 * Rephrase mining with an absorbing Markov chain (after Ponnusamy et al., "Feedback-based
 * self-learning in large-scale conversational AI agents", 2020). Each request text has a transient
 * state (said and it failed) and an absorbing one (said and it worked); a session's rephrase chain
 * walks from the first failing request through the rephrases to where it ended. Transition
 * probabilities are the counts, normalised per state. The absorption probabilities B = (I - Q)^-1 R
 * are found per connected component by iterating B <- R + Q B (Jacobi), which converges because
 * every transient state can reach an absorbing one (a chain that stops in failure absorbs in `fail`).
 * For each failing request, the successful request it most likely ends in is its rewrite.
 */

export interface ChainTurn { readonly text: string; readonly success: boolean }
export interface MinedRewrite { readonly source: string; readonly target: string; readonly probability: number; readonly support: number }
export interface MiningSettings { readonly minProbability: number; readonly minSupport: number }

const FAIL = '\u0000fail';

/** `chains`: per session, its rephrase chain in order (starting at a failing request). */
export function mineRewrites(chains: readonly (readonly ChainTurn[])[], s: MiningSettings): MinedRewrite[] {
  // counts[from][to]; "to" is `t:<text>` (failed again) or `a:<text>` (worked) or FAIL (gave up).
  const counts = new Map<string, Map<string, number>>();
  const support = new Map<string, Set<number>>(); // `${source}\n${target}` -> chains that went from one to the other
  chains.forEach((chain, ci) => {
    for (let i = 0; i < chain.length; i++) {
      const cur = chain[i]!;
      if (cur.success) break;
      const next = chain[i + 1];
      const to = next ? (next.success ? `a:${next.text}` : `t:${next.text}`) : FAIL;
      const row = counts.get(cur.text) ?? new Map<string, number>();
      row.set(to, (row.get(to) ?? 0) + 1);
      counts.set(cur.text, row);
      const ok = chain.slice(i + 1).find((x) => x.success);
      if (ok) {
        const k = `${cur.text}\n${ok.text}`;
        (support.get(k) ?? support.set(k, new Set()).get(k)!).add(ci);
      }
    }
  });
  const b = absorption(counts);
  const out: MinedRewrite[] = [];
  for (const [source, row] of b) {
    let best: [string, number] | undefined;
    for (const [to, p] of row) if (to !== FAIL && to !== source && (!best || p > best[1])) best = [to, p];
    if (!best) continue;
    const n = support.get(`${source}\n${best[0]}`)?.size ?? 0;
    if (best[1] >= s.minProbability && n >= s.minSupport) out.push({ source, target: best[0], probability: Math.round(best[1] * 1000) / 1000, support: n });
  }
  return out.sort((x, y) => y.probability - x.probability || y.support - x.support);
}

/**
 * Absorption probabilities into each absorbing state (`a:<text>` keyed by text, and FAIL) for every
 * transient state. Iterative per component; sparse rows (maps), so large logs stay cheap.
 */
export function absorption(counts: ReadonlyMap<string, ReadonlyMap<string, number>>, iterations = 200, tolerance = 1e-9): Map<string, Map<string, number>> {
  const q = new Map<string, [string, number][]>();
  const r = new Map<string, Map<string, number>>();
  for (const [from, row] of counts) {
    const total = [...row.values()].reduce((a, x) => a + x, 0);
    const qs: [string, number][] = [];
    const rs = new Map<string, number>();
    for (const [to, n] of row) {
      const p = n / total;
      if (to.startsWith('t:') && counts.has(to.slice(2))) qs.push([to.slice(2), p]);
      else if (to.startsWith('t:')) rs.set(FAIL, (rs.get(FAIL) ?? 0) + p); // a failing request never followed up: gave up
      else rs.set(to === FAIL ? FAIL : to.slice(2), (rs.get(to === FAIL ? FAIL : to.slice(2)) ?? 0) + p);
    }
    q.set(from, qs);
    r.set(from, rs);
  }
  let b = new Map<string, Map<string, number>>([...r].map(([k, v]) => [k, new Map(v)]));
  for (let it = 0; it < iterations; it++) {
    let change = 0;
    const nb = new Map<string, Map<string, number>>();
    for (const [from, rs] of r) {
      const row = new Map(rs);
      for (const [to, p] of q.get(from)!) for (const [abs, v] of b.get(to) ?? []) row.set(abs, (row.get(abs) ?? 0) + p * v);
      for (const [abs, v] of row) change = Math.max(change, Math.abs(v - (b.get(from)?.get(abs) ?? 0)));
      nb.set(from, row);
    }
    b = nb;
    if (change < tolerance) break;
  }
  return b;
}
