/** The rewrite cache on a real SQLite file: layers, retrieval, the home check, and no escalation. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../runtime/store/db.js';
import { RewriteCache, rewriteSensitiveWords } from '../../runtime/rewrite/cache.js';
import { rewritesCommand } from '../../runtime/cli/rewrites.js';
import { loadConfig } from '../../runtime/config/load.js';
import { Lexicon } from '../../runtime/nlu/lexicon.js';
import { recognize } from '../../runtime/nlu/recognizer.js';

const settings = { minSimilarity: 0.8, minPersonalSupport: 3, maxPosting: 5000, sensitiveWords: rewriteSensitiveWords(['oven']) };
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'hearth-rw-'));
  const file = join(dir, 'hearth.db');
  return { dir, file, cache: new RewriteCache(openDatabase(file).db, settings) };
};
const lex = new Lexicon([
  { name: 'TV', aliases: ['television'], domain: 'media_player', area: 'Living Room' },
  { name: 'Desk Lamp', aliases: [], domain: 'light', area: 'Office' },
  { name: 'Front Door', aliases: [], domain: 'lock', area: 'Hallway' },
], ['Living Room', 'Office', 'Hallway'], []);
const works = (t: string) => { const m = recognize(t, lex); return m !== undefined && !m.slots.unknown_name; };

describe('rewrite cache', () => {
  it('rewrites an exact request, taught over personal over global', () => {
    const { cache } = fresh();
    cache.add('global', 'lights please', 'turn on the desk lamp', 40);
    expect(cache.lookup('Lights, please!', works, false)?.rewrite.layer).toBe('global');
    cache.add('personal', 'lights please', 'turn off the desk lamp', 1);
    expect(cache.lookup('lights please', works, false)?.rewrite.layer).toBe('global'); // one odd evening does not win
    cache.add('personal', 'lights please', 'turn off the desk lamp', 5);
    expect(cache.lookup('lights please', works, false)?.rewrite.layer).toBe('personal'); // enough support does
    cache.add('taught', 'lights please', 'turn on the tv');
    expect(cache.lookup('lights please', works, false)).toMatchObject({ exact: true, rewrite: { layer: 'taught', target: 'turn on the tv' } });
  });

  it('finds a similar cached request when the words as heard do not work, and only then', () => {
    const { cache } = fresh();
    cache.add('personal', 'put on the telly', 'turn on the tv', 4);
    const hit = cache.lookup('put on the tely', works, true); // an ASR slip of a cached request
    expect(hit).toMatchObject({ exact: false, rewrite: { target: 'turn on the tv' } });
    expect(hit!.similarity).toBeGreaterThanOrEqual(0.8);
    expect(cache.lookup('put on the tely', works, false)).toBeUndefined();
    expect(cache.lookup('open the pod bay doors', works, true)).toBeUndefined();
  });

  it('never applies a rewrite whose target this home cannot carry out', () => {
    const { cache } = fresh();
    cache.add('global', 'bubbles on', 'turn on the jacuzzi', 50);
    expect(cache.lookup('bubbles on', works, true)).toBeUndefined();
  });

  it('refuses learned and synced rewrites that would reach a sensitive action the request did not name', () => {
    const { cache } = fresh();
    expect(() => cache.add('global', 'good night', 'unlock the front door')).toThrow(expect.objectContaining({ code: 'rewrite-sensitive' }));
    expect(() => cache.add('personal', 'make dinner', 'turn on the oven')).toThrow(expect.objectContaining({ code: 'rewrite-sensitive' }));
    expect(() => cache.add('global', 'unlok the front door', 'unlock the front door')).toThrow(); // an ASR slip of "unlock" is refused too: safety over recall
    expect(() => cache.add('global', 'please unlock the front door now', 'unlock the front door')).not.toThrow(); // it named unlocking
    expect(cache.size).toBe(1);
  });

  it('sees what another process wrote (the CLI beside a running hub)', () => {
    const { file, cache } = fresh();
    const other = new RewriteCache(openDatabase(file).db, settings);
    other.add('taught', 'telly on', 'turn on the tv');
    expect(cache.lookup('telly on', works, false)?.rewrite.target).toBe('turn on the tv');
    other.remove(other.list()[0]!.id);
    expect(cache.lookup('telly on', works, false)).toBeUndefined();
  });
});

describe('hearth rewrites', () => {
  it('adds, lists, exports, imports and removes', () => {
    const { dir } = fresh();
    const config = loadConfig({ env: {}, overrides: { dataDir: dir } });
    const lines: string[] = [];
    const run = (...positional: string[]) => rewritesCommand(config, { positional, flags: {} }, (l) => lines.push(l));
    run('add', 'telly on', 'turn on the tv');
    run('export', join(dir, 'out.jsonl'));
    expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toContain('"source":"telly on"');
    const id = lines[0]!.split(' ')[0]!;
    run('remove', id);
    run('import', join(dir, 'out.jsonl'));
    lines.length = 0;
    run('list');
    expect(lines).toEqual([expect.stringContaining('taught    "telly on" -> "turn on the tv"'), '1 rewrites']);
    expect(() => run('remove', 'rw-nothing')).toThrow(/No rewrite/);
  });
});

describe('hearth forget --all', () => {
  it('erases concepts, rewrites and the turn log, and keeps the safety state', async () => {
    const { forgetAll } = await import('../../runtime/cli/forget.js');
    const { ConceptStore } = await import('../../runtime/store/concepts.js');
    const { dir, file, cache } = fresh();
    cache.add('taught', 'telly on', 'turn on the tv');
    const { db } = openDatabase(file);
    new ConceptStore(db).save('study mode', 'light', { brightnessPct: 100 }, 'full brightness', 1);
    db.prepare('INSERT INTO pin_failures (at_ms) VALUES (1)').run();
    const lines: string[] = [];
    expect(() => forgetAll(loadConfig({ env: {}, overrides: { dataDir: dir } }), false, (l) => lines.push(l))).toThrow(/--all/);
    forgetAll(loadConfig({ env: {}, overrides: { dataDir: dir } }), true, (l) => lines.push(l));
    expect(lines[0]).toContain('1 concepts, 1 rewrites');
    expect(cache.size).toBe(0);
    expect(new ConceptStore(db).all()).toEqual([]);
    expect((db.prepare('SELECT COUNT(*) AS n FROM pin_failures').get() as { n: number }).n).toBe(1);
  });
});
