/** The household's lists (shopping, and named to-do lists) in SQLite: items added, and ticked off when done. */
import type { Db } from './db.js';

export interface ListItem { readonly item: string; readonly done: boolean }

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9 ]+/g, '').replace(/\s+/g, ' ').trim();

export class ListStore {
  constructor(private readonly db: Db) {}

  add(list: string, item: string, nowMs: number): void {
    this.db.prepare('INSERT INTO list_items (list, item, added_at_ms) VALUES (?, ?, ?)').run(list, item, nowMs);
  }

  /** Ticks off the open item that matches (words and case aside); false when there is none. */
  complete(list: string, item: string, nowMs: number): boolean {
    const open = this.db.prepare<[string], { id: number; item: string }>('SELECT id, item FROM list_items WHERE list = ? AND done_at_ms IS NULL ORDER BY id').all(list);
    const hit = open.find((r) => norm(r.item) === norm(item)) ?? open.find((r) => norm(r.item).includes(norm(item)) || norm(item).includes(norm(r.item)));
    if (!hit) return false;
    this.db.prepare('UPDATE list_items SET done_at_ms = ? WHERE id = ?').run(nowMs, hit.id);
    return true;
  }

  items(list: string): ListItem[] {
    return this.db.prepare<[string], { item: string; done_at_ms: number | null }>('SELECT item, done_at_ms FROM list_items WHERE list = ? ORDER BY id').all(list)
      .map((r) => ({ item: r.item, done: r.done_at_ms !== null }));
  }
}
