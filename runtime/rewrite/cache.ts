/**
 * The rewrite cache (after Alexa's query-rewriting work): requests that failed, mapped to the
 * phrasing that worked. Three layers with a clear precedence: taught (the household said so) over
 * personal (mined on this hub) over global (synced from many hubs); a personal rewrite beats a global
 * one only with enough support, so one odd evening does not override what works for everyone.
 * Lookup: exact normalised text first; then, only for a request the hub could not use as it was,
 * retrieval over the cached requests by words and sound keys and a ranker over the few hits. A
 * rewrite whose target this home cannot carry out (devices it lacks) is never applied, and no
 * learned or synced rewrite may turn a request into a sensitive action it did not already name.
 * Everything is in memory for speed and in SQLite for safety; another process's change (the CLI)
 * is noticed through SQLite's data_version and reloaded.
 */
import { holdsSecret } from '../policy/secret.js';
import { createHash } from 'node:crypto';
import type { Db } from '../store/db.js';
import { HearthError } from '../types/errors.js';
import { normalize } from '../nlu/normalize.js';
import { features, indexKeys, similarity, skipOneKeys, soundOf, type Features } from './similarity.js';


export type RewriteLayer = 'taught' | 'personal' | 'global';
export const LAYERS: readonly RewriteLayer[] = ['taught', 'personal', 'global'];

export interface Rewrite {
  readonly id: string;
  readonly layer: RewriteLayer;
  readonly source: string;
  readonly target: string;
  /** Sessions (personal) or hubs (global) that supported it; 1 for taught. */
  readonly support: number;
  /** Absorption probability from mining; 1 for taught. */
  readonly probability: number;
  readonly createdAtMs: number;
}

export interface RewriteSettings {
  /** Lowest similarity for a rewrite found by retrieval (exact matches need none). */
  readonly minSimilarity: number;
  /** Support a personal rewrite needs to win over a global one for the same request. */
  readonly minPersonalSupport: number;
  /** Words said so often across the cache that they cannot find anything (skipped in retrieval). */
  readonly maxPosting: number;
  /** Words that make a request sensitive (unlock, disarm, garage, oven...). */
  readonly sensitiveWords: readonly string[];
}

export interface RewriteHit { readonly rewrite: Rewrite; readonly similarity: number; readonly exact: boolean }

interface Row { id: string; layer: RewriteLayer; source_text: string; target_text: string; support: number; probability: number; created_at_ms: number }
interface Entry { readonly r: Rewrite; readonly f: Features }

/** What makes a request sensitive, for the no-escalation rule: the policy's verbs and its sensitive names. */
export function rewriteSensitiveWords(sensitiveNames: readonly string[]): string[] {
  return ['unlock', 'disarm', 'garage', 'gate', ...sensitiveNames];
}

const BONUS: Readonly<Record<RewriteLayer, number>> = { taught: 0.2, personal: 0.05, global: 0 };

export class RewriteCache {
  private entries = new Map<string, Entry>();
  private bySource = new Map<string, Entry[]>();
  private index = new Map<string, string[]>();
  private bySound = new Map<string, string[]>();
  private byNeighbour = new Map<number, string[]>();
  private dataVersion = -1;
  private readonly stmts;
  private readonly sensitive: readonly RegExp[];

  constructor(private readonly db: Db, private readonly settings: RewriteSettings, private readonly nowMs: () => number = Date.now) {
    this.sensitive = settings.sensitiveWords.map((w) => new RegExp(`\\b${normalize(w)}s?\\b`));
    this.stmts = {
      all: db.prepare<[], Row>('SELECT * FROM rewrites'),
      upsert: db.prepare(`INSERT INTO rewrites (id, layer, source_text, target_text, support, probability, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT(layer, source_text) DO UPDATE SET id = excluded.id, target_text = excluded.target_text, support = excluded.support, probability = excluded.probability`),
      remove: db.prepare<[string]>('DELETE FROM rewrites WHERE id = ?'),
      removeLayer: db.prepare<[string]>('DELETE FROM rewrites WHERE layer = ?'),
      applied: db.prepare<[string]>('UPDATE rewrites SET applied_count = applied_count + 1 WHERE id = ?'),
    };
    this.sync();
  }

  /** When the active synced bundle expires: after it, global rewrites are not used (freeze). Undefined: no bundle. */
  globalExpiresAtMs: number | undefined;

  /** Reloads from SQLite (after a transaction that may have rolled back). */
  reload(): void {
    this.sync(true);
  }

  get size(): number {
    this.sync();
    return this.entries.size;
  }

  /**
   * The rewrite for `text`, if any. `usable(target)` says whether this home can carry the target
   * out; `online` allows retrieval (the caller allows it only when the text as said did not work).
   */
  lookup(text: string, usable: (target: string) => boolean, online: boolean): RewriteHit | undefined {
    this.sync();
    const source = normalize(text);
    const exact = this.pick((this.bySource.get(source) ?? []).map((e) => ({ e, sim: 1 })), usable);
    if (exact || !online || this.entries.size === 0) return exact ? { ...exact, exact: true } : undefined;
    // Candidates: requests that sound the same or differ in one word (a few map lookups); only when
    // those give nothing, the requests sharing the rarest words, on a small budget.
    const f = features(source);
    const score = (ids: Iterable<string>) => [...ids].map((id) => this.entries.get(id)!).map((e) => ({ e, sim: similarity(f, e.f) }))
      .filter((x) => x.sim >= this.settings.minSimilarity);
    const near = new Set<string>(this.bySound.get(soundOf(source)) ?? []);
    for (const h of skipOneKeys(source)) for (const id of this.byNeighbour.get(h) ?? []) near.add(id);
    let scored = score(near);
    if (scored.length === 0) scored = score(this.sharingRareWords(source));
    const online_ = this.pick(scored, usable);
    return online_ ? { ...online_, exact: false } : undefined;
  }

  /** Up to 32 cached requests sharing the most of the query's rarer words and sound keys. */
  private sharingRareWords(source: string): string[] {
    const postings = indexKeys(source).map((k) => this.index.get(k)).filter((ids): ids is string[] => ids !== undefined && ids.length <= this.settings.maxPosting)
      .sort((a, b) => a.length - b.length);
    const hits = new Map<string, number>();
    let budget = 2000;
    for (const ids of postings) {
      if (budget <= 0) break;
      for (const id of ids.length > budget ? ids.slice(0, budget) : ids) hits.set(id, (hits.get(id) ?? 0) + 1);
      budget -= ids.length;
    }
    return [...hits].sort((a, b) => b[1] - a[1]).slice(0, 32).map(([id]) => id);
  }

  /** Adds or replaces the rewrite of a request in a layer. */
  add(layer: RewriteLayer, source: string, target: string, support = 1, probability = 1): Rewrite {
    const id = this.insert(layer, source, target, support, probability);
    this.sync(true);
    return this.entries.get(id)!.r;
  }

  private insert(layer: RewriteLayer, source: string, target: string, support: number, probability: number): string {
    const s = normalize(source);
    const t = normalize(target);
    if (!s || !t || s === t) throw new HearthError('rewrite-invalid', 'input', `A rewrite needs two different requests (got "${source}" -> "${target}").`);
    // Not even the words: the error would carry the PIN into a log.
    if (holdsSecret(s, null) || holdsSecret(t, null)) throw new HearthError('rewrite-secret', 'input', 'A rewrite may not hold a PIN or a run of four or more digits.');
    if (layer !== 'taught' && this.escalates(s, t)) {
      throw new HearthError('rewrite-sensitive', 'input', `"${source}" -> "${target}" would turn a request into a sensitive action it did not name; learned and synced rewrites never may.`);
    }
    const id = `rw-${createHash('sha256').update(`${layer}\n${s}`).digest('hex').slice(0, 12)}`;
    this.stmts.upsert.run(id, layer, s, t, support, probability, this.nowMs());
    return id;
  }

  remove(id: string): boolean {
    const n = this.stmts.remove.run(id).changes;
    this.sync(true);
    return n > 0;
  }

  /** Adds many in one transaction (an import); one bad row rejects the whole import. */
  addMany(rows: readonly { layer: RewriteLayer; source: string; target: string; support?: number; probability?: number }[]): number {
    this.db.transaction(() => { for (const r of rows) this.insert(r.layer, r.source, r.target, r.support ?? 1, r.probability ?? 1); })();
    this.sync(true);
    return rows.length;
  }

  /** Replaces a whole layer in one transaction (a synced global bundle). */
  replaceLayer(layer: RewriteLayer, rows: readonly { source: string; target: string; support?: number; probability?: number }[]): number {
    let n = 0;
    this.db.transaction(() => {
      this.stmts.removeLayer.run(layer);
      for (const r of rows) { this.insert(layer, r.source, r.target, r.support ?? 1, r.probability ?? 1); n++; }
    })();
    this.sync(true);
    return n;
  }

  list(layer?: RewriteLayer): Rewrite[] {
    this.sync();
    return [...this.entries.values()].map((e) => e.r).filter((r) => !layer || r.layer === layer)
      .sort((a, b) => LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer) || a.source.localeCompare(b.source));
  }

  noteApplied(id: string): void {
    this.stmts.applied.run(id);
  }

  /** Layer precedence, then support and similarity; a personal rewrite must earn its place over a global one. */
  private pick(cands: readonly { e: Entry; sim: number }[], usable: (target: string) => boolean): { rewrite: Rewrite; similarity: number } | undefined {
    const frozen = this.globalExpiresAtMs !== undefined && this.nowMs() > this.globalExpiresAtMs;
    const ok = cands.filter((c) => !(frozen && c.e.r.layer === 'global') && !(c.e.r.layer !== 'taught' && this.escalates(c.e.r.source, c.e.r.target)) && usable(c.e.r.target));
    if (ok.length === 0) return undefined;
    const hasGlobal = ok.some((c) => c.e.r.layer === 'global');
    const score = (c: { e: Entry; sim: number }) => {
      const r = c.e.r;
      const weakPersonal = r.layer === 'personal' && hasGlobal && r.support < this.settings.minPersonalSupport;
      return c.sim + (weakPersonal ? -0.1 : BONUS[r.layer]) + 0.01 * Math.log1p(r.support) * r.probability;
    };
    const best = [...ok].sort((a, b) => score(b) - score(a))[0]!;
    return { rewrite: best.e.r, similarity: Math.round(best.sim * 1000) / 1000 };
  }

  /** True when the target names a sensitive action the source did not. */
  private escalates(source: string, target: string): boolean {
    return this.sensitive.some((re) => re.test(target) && !re.test(source));
  }

  /** Reloads after our own writes (`force`), or when another connection committed (data_version moved). */
  private sync(force = false): void {
    const v = this.db.pragma('data_version', { simple: true }) as number;
    if (!force && v === this.dataVersion) return;
    this.dataVersion = v;
    this.entries = new Map();
    this.bySource = new Map();
    this.index = new Map();
    this.bySound = new Map();
    this.byNeighbour = new Map();
    const push = <K>(m: Map<K, string[]>, k: K, id: string) => { const l = m.get(k); if (l) l.push(id); else m.set(k, [id]); };
    for (const row of this.stmts.all.all()) {
      const r: Rewrite = { id: row.id, layer: row.layer, source: row.source_text, target: row.target_text, support: row.support, probability: row.probability, createdAtMs: row.created_at_ms };
      const e = { r, f: features(r.source) };
      this.entries.set(r.id, e);
      const list = this.bySource.get(r.source);
      if (list) list.push(e); else this.bySource.set(r.source, [e]);
      for (const k of indexKeys(r.source)) push(this.index, k, r.id);
      push(this.bySound, soundOf(r.source), r.id);
      for (const h of skipOneKeys(r.source)) push(this.byNeighbour, h, r.id);
    }
  }
}
