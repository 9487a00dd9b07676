/**
 * The one SQLite connection (better-sqlite3): WAL, statements prepared once, synchronous
 * transactions. `synchronous=FULL` because the database holds what households taught and what the
 * hub learned; a turn log row costs well under a millisecond either way.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { HearthError } from '../types/errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export interface OpenedDatabase {
  readonly db: Db;
  /** Where a corrupt database file was moved before a fresh one was made, if that happened. */
  readonly movedCorruptTo?: string;
}

/**
 * Opens (and migrates) the hub's database. A file that is not a database, or fails SQLite's quick
 * check, is renamed to `<file>.corrupt-<time>` (kept for recovery, never deleted) and a fresh one is
 * made, so the hub keeps running; the caller logs where the old file went.
 */
export function openDatabase(path: string, nowMs: () => number = Date.now): OpenedDatabase {
  try {
    return { db: openChecked(path) };
  } catch (err) {
    if (!(err instanceof HearthError) || err.code !== 'store-corrupt' || path === ':memory:') throw err;
    const movedTo = `${path}.corrupt-${new Date(nowMs()).toISOString().replace(/[:.]/g, '-')}`;
    renameSync(path, movedTo);
    for (const side of ['-wal', '-shm']) if (existsSync(path + side)) renameSync(path + side, movedTo + side);
    return { db: openChecked(path), movedCorruptTo: movedTo };
  }
}

function openChecked(path: string): Db {
  let db: Db | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 2000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new HearthError('store-corrupt', 'input', `The database ${path} failed SQLite's quick check: ${String(check)}`, { path });
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof HearthError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'SQLITE_CORRUPT' || e.code === 'SQLITE_NOTADB') {
      throw new HearthError('store-corrupt', 'input', `The database ${path} is corrupt or not a database: ${e.message}`, { path }, err);
    }
    throw new HearthError('store-open-failed', 'environment',
      `Cannot open the database ${path}: ${e.message}. Check dataDir in the config and that the disk is writable and not full.`, { path }, err);
  }
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** Small key-value facts about this hub (first start time...). */
export class HubMeta {
  private readonly getStmt;
  private readonly setStmt;
  constructor(db: Db) {
    this.getStmt = db.prepare<[string], { value: string }>('SELECT value FROM hub_meta WHERE key = ?');
    this.setStmt = db.prepare('INSERT INTO hub_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
  }
  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value;
  }
  set(key: string, value: string): void {
    this.setStmt.run(key, value);
  }
}
