/**
 * Concepts people taught the hub, scoped to a kind of device (its domain): "study mode" taught on a
 * lamp applies to every light. Names are stored normalised, so "Study Mode" and "study mode" meet.
 */
import type { DeviceOperation } from '../types/device.js';
import type { Db } from './db.js';
import { normalize } from '../nlu/normalize.js';

export interface Concept {
  readonly name: string;
  readonly domain: string;
  readonly operation: DeviceOperation;
  /** The words the person used, for "what is study mode". */
  readonly description: string;
  readonly taughtAtMs: number;
}

interface Row { name: string; domain: string; operation_json: string; description: string; taught_at_ms: number }

const toConcept = (r: Row): Concept => ({ name: r.name, domain: r.domain, operation: JSON.parse(r.operation_json) as DeviceOperation, description: r.description, taughtAtMs: r.taught_at_ms });

export class ConceptStore {
  private readonly byName;
  private readonly upsert;
  private readonly remove;
  private readonly list;
  /** Bumped on every change, so caches built from the names (the lexicon) know to rebuild. */
  revision = 0;

  constructor(db: Db) {
    this.byName = db.prepare<[string], Row>('SELECT * FROM concepts WHERE name = ? ORDER BY domain');
    this.upsert = db.prepare(`INSERT INTO concepts (name, domain, operation_json, description, taught_at_ms, taught_in_turn) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(name, domain) DO UPDATE SET operation_json = excluded.operation_json, description = excluded.description, taught_at_ms = excluded.taught_at_ms, taught_in_turn = excluded.taught_in_turn`);
    this.remove = db.prepare<[string]>('DELETE FROM concepts WHERE name = ?');
    this.list = db.prepare<[], Row>('SELECT * FROM concepts ORDER BY name, domain');
  }

  /** Every kind of device the concept was taught for. */
  find(name: string): Concept[] {
    return this.byName.all(normalize(name)).map(toConcept);
  }

  save(name: string, domain: string, operation: DeviceOperation, description: string, atMs: number, turnId?: string): void {
    this.upsert.run(normalize(name), domain, JSON.stringify(operation), description, atMs, turnId ?? null);
    this.revision++;
  }

  /** Forgets the concept for every kind of device; returns how many were forgotten. */
  forget(name: string): number {
    const n = this.remove.run(normalize(name)).changes;
    if (n > 0) this.revision++;
    return n;
  }

  all(): Concept[] {
    return this.list.all().map(toConcept);
  }
}
