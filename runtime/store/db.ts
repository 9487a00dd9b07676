/**
 * The one SQLite connection (better-sqlite3): WAL, statements prepared once, synchronous
 * transactions. `synchronous=FULL` because the database holds what households taught and what the
 * hub learned; a turn log row costs well under a millisecond either way.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { HearthError } from '../types/errors.js';
import { MIGRATIONS } from './migrations.js';

export type Db = Database.Database;

export function openDatabase(path: string): Db {
  try {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 2000');
    migrate(db);
    return db;
  } catch (err) {
    if (err instanceof HearthError) throw err;
    const e = err as NodeJS.ErrnoException;
    throw new HearthError('store-open-failed', e.code === 'SQLITE_CORRUPT' || e.code === 'SQLITE_NOTADB' ? 'input' : 'environment',
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
