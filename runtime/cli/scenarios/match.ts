/** Comparing what a hub published with what a scenario expects (see shared/scenarios/FORMAT.md). */
export interface Seen { readonly topic: string; readonly payload: string }
export interface ExpectedMessage { readonly topic: string; readonly payload?: unknown }

function valueMatches(want: unknown, have: unknown): boolean {
  if (want && typeof want === 'object' && !Array.isArray(want) && 'approx' in (want as object)) {
    const { approx, tolerance } = want as { approx: number; tolerance?: number };
    return typeof have === 'number' && Math.abs(have - approx) <= (tolerance ?? 0);
  }
  if (want && typeof want === 'object' && !Array.isArray(want)) {
    if (!have || typeof have !== 'object') return false;
    return Object.entries(want as object).every(([k, v]) => valueMatches(v, (have as Record<string, unknown>)[k]));
  }
  if (Array.isArray(want)) return Array.isArray(have) && want.length === have.length && want.every((w, i) => valueMatches(w, have[i]));
  return want === have || String(want) === String(have);
}

export function messageMatches(want: ExpectedMessage, seen: Seen): boolean {
  if (want.topic.toLowerCase() !== seen.topic.toLowerCase()) return false;
  if (want.payload === undefined) return true;
  if (typeof want.payload === 'string') return want.payload === seen.payload;
  let parsed: unknown;
  try { parsed = JSON.parse(seen.payload); } catch { return false; }
  return valueMatches(want.payload, parsed);
}

export function describe(seen: readonly Seen[]): string {
  return seen.length === 0 ? 'nothing' : seen.map((s) => `${s.topic} ${s.payload}`).join('; ');
}
