/**
 * The service's aggregation is one plain SQL statement that must give the same answer on SQLite and
 * on PostgreSQL. It always runs on SQLite; .ci/run also starts Debian's PostgreSQL and sets
 * HEARTH_TEST_PG, and then the same statement runs there too.
 */
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { AGGREGATE_SQL } from '../../tools/sync-server/service.js';

const UPLOADS: [string, string, string, number][] = [
  ['hub-a', 'kitchen on', 'turn on the kitchen light', 3], ['hub-b', 'kitchen on', 'turn on the kitchen light', 1],
  ['hub-c', 'kitchen on', 'turn on the kitchen light', 2], ['hub-a', 'telly on', 'turn on the tv', 9],
  ['hub-a', 'telly on', 'turn on the tv', 1], ['hub-b', 'lights please', 'turn on the lights', 4],
];
const EXPECTED_K2 = [{ source: 'kitchen on', target: 'turn on the kitchen light', hubs: 3, n: 6 }];

type Run = (k: number) => Promise<{ source: string; target: string; hubs: number; n: number }[]>;

const backends: [string, () => Promise<{ run: Run; close: () => Promise<void> }>][] = [
  ['sqlite', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE uploads (hub_id TEXT, source TEXT, target TEXT, count INTEGER, received_at_ms INTEGER); CREATE TABLE settings (k INTEGER);');
    const ins = db.prepare('INSERT INTO uploads VALUES (?, ?, ?, ?, 0)');
    for (const u of UPLOADS) ins.run(...u);
    return {
      run: async (k) => { db.prepare('DELETE FROM settings').run(); db.prepare('INSERT INTO settings VALUES (?)').run(k); return db.prepare(AGGREGATE_SQL).all() as Awaited<ReturnType<Run>>; },
      close: async () => { db.close(); },
    };
  }],
  ...(process.env['HEARTH_TEST_PG'] ? [['postgresql', async () => {
    const client = new pg.Client({ connectionString: process.env['HEARTH_TEST_PG'] });
    await client.connect();
    const schema = `hearth_test_${process.pid}`;
    await client.query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema};`);
    await client.query('CREATE TABLE uploads (hub_id TEXT, source TEXT, target TEXT, count INTEGER, received_at_ms BIGINT); CREATE TABLE settings (k INTEGER);');
    for (const u of UPLOADS) await client.query('INSERT INTO uploads VALUES ($1, $2, $3, $4, 0)', u);
    return {
      run: async (k: number) => {
        await client.query('DELETE FROM settings');
        await client.query('INSERT INTO settings VALUES ($1)', [k]);
        const r = await client.query(AGGREGATE_SQL); // the very same text as on SQLite
        return r.rows.map((x: { source: string; target: string; hubs: string | number; n: string | number }) => ({ source: x.source, target: x.target, hubs: Number(x.hubs), n: Number(x.n) }));
      },
      close: async () => { await client.query(`DROP SCHEMA ${schema} CASCADE`); await client.end(); },
    };
  }] as [string, () => Promise<{ run: Run; close: () => Promise<void> }>]] : []),
];

describe.each(backends)('aggregation on %s', (_name, open) => {
  it('keeps only pairs from at least K distinct hubs, a hub counted once', async () => {
    const b = await open();
    try {
      expect(await b.run(2)).toEqual(EXPECTED_K2);
      expect(await b.run(4)).toEqual([]);
      const k1 = (await b.run(1)).sort((x, y) => x.source.localeCompare(y.source));
      expect(k1.map((r) => [r.source, r.hubs, r.n])).toEqual([['kitchen on', 3, 6], ['lights please', 1, 4], ['telly on', 1, 10]]);
    } finally {
      await b.close();
    }
  }, 20000);
});
