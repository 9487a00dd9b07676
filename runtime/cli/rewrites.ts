/**
 * `hearth rewrites list [--layer L] | add "<said>" "<meant>" [--layer L] | remove <id> | export [file] | import <file> [--layer L]`
 * on the hub's database (a running hub sees the change on its next request). Export and import use
 * JSON lines: {"layer","source","target","support","probability"}. Adding by hand goes to the
 * taught layer unless --layer says otherwise.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HearthConfig } from '../config/config.js';
import { openDatabase } from '../store/db.js';
import { HearthError } from '../types/errors.js';
import { LAYERS, RewriteCache, rewriteSensitiveWords, type RewriteLayer } from '../rewrite/cache.js';
import type { Args } from './args.js';

const USAGE = 'Usage: hearth rewrites list [--layer taught|personal|global] | add "<said>" "<meant>" [--layer L] | remove <id> | export [file] | import <file> [--layer L]';

function layerOf(v: unknown, fallback: RewriteLayer): RewriteLayer {
  if (v === undefined || v === true) return fallback;
  if (!LAYERS.includes(v as RewriteLayer)) throw new HearthError('cli-usage', 'config', `--layer must be one of ${LAYERS.join(', ')} (got ${String(v)}).`);
  return v as RewriteLayer;
}

export function rewritesCommand(config: HearthConfig, args: Args, out: (s: string) => void): number {
  const [verb, ...rest] = args.positional;
  const { db } = openDatabase(join(config.dataDir, 'hearth.db'));
  try {
    const cache = new RewriteCache(db, { ...config.rewrite, sensitiveWords: rewriteSensitiveWords(config.policy.sensitiveNames) });
    switch (verb) {
      case 'list': {
        const layer = args.flags['layer'] === undefined ? undefined : layerOf(args.flags['layer'], 'taught');
        const rows = cache.list(layer);
        for (const r of rows) out(`${r.id}  ${r.layer.padEnd(8)}  "${r.source}" -> "${r.target}"  support ${r.support}  p ${r.probability.toFixed(2)}`);
        out(`${rows.length} rewrites`);
        return 0;
      }
      case 'add': {
        if (rest.length !== 2) throw new HearthError('cli-usage', 'config', USAGE);
        const r = cache.add(layerOf(args.flags['layer'], 'taught'), rest[0]!, rest[1]!);
        out(`${r.id}  ${r.layer}  "${r.source}" -> "${r.target}"`);
        return 0;
      }
      case 'remove': {
        if (!rest[0]) throw new HearthError('cli-usage', 'config', USAGE);
        if (!cache.remove(rest[0])) throw new HearthError('rewrite-unknown', 'input', `No rewrite with id ${rest[0]} (hearth rewrites list shows them).`);
        out(`removed ${rest[0]}`);
        return 0;
      }
      case 'export': {
        const lines = cache.list().map((r) => JSON.stringify({ layer: r.layer, source: r.source, target: r.target, support: r.support, probability: r.probability }));
        if (rest[0]) { writeFileSync(rest[0], lines.map((l) => `${l}\n`).join('')); out(`${lines.length} rewrites written to ${rest[0]}`); } else lines.forEach((l) => out(l));
        return 0;
      }
      case 'import': {
        if (!rest[0]) throw new HearthError('cli-usage', 'config', USAGE);
        const rows = readFileSync(rest[0], 'utf8').split('\n').filter((l) => l.trim()).map((l, i) => {
          try {
            const o = JSON.parse(l) as Record<string, unknown>;
            if (typeof o['source'] !== 'string' || typeof o['target'] !== 'string') throw new Error('source and target must be strings');
            return { layer: layerOf(args.flags['layer'] ?? o['layer'], 'taught'), source: o['source'], target: o['target'],
              ...(typeof o['support'] === 'number' ? { support: o['support'] } : {}), ...(typeof o['probability'] === 'number' ? { probability: o['probability'] } : {}) };
          } catch (err) {
            throw new HearthError('rewrite-import-invalid', 'input', `${rest[0]} line ${i + 1}: ${(err as Error).message}`);
          }
        });
        out(`${cache.addMany(rows)} rewrites imported from ${rest[0]}`);
        return 0;
      }
      default:
        throw new HearthError('cli-usage', 'config', USAGE);
    }
  } finally {
    db.close();
  }
}
