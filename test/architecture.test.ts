/**
 * The large-scale shape, kept by a test (as matter.js keeps its layering): runtime/ imports nothing from tools/, no
 * import cycle anywhere in runtime/, device-adapters/ or tools/, no runtime file over 300 lines, and short docs.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const sources: string[] = [];
const walk = (d: string) => {
  for (const f of readdirSync(d)) {
    const p = join(d, f);
    if (f === 'node_modules' || f === 'native') continue;
    if (statSync(p).isDirectory()) walk(p);
    else if (p.endsWith('.ts')) sources.push(resolve(p));
  }
};
for (const d of ['runtime', 'device-adapters', 'tools']) walk(join(ROOT, d));
/** Value imports only: `import type` is erased and cannot form a cycle at run time. */
const imports = new Map(sources.map((f) => [f, [...readFileSync(f, 'utf8').matchAll(/^(?:import|export)(?!\s+type\b)[^'";]*?from\s+'(\.[^']+)'/gm)]
  .map((m) => resolve(dirname(f), m[1]!.replace(/\.js$/, '.ts'))).filter((d) => sources.includes(d))]));
const rel = (f: string) => relative(ROOT, f);

describe('architecture', () => {
  it('runtime/ imports nothing from tools/', () => {
    const wrong = [...imports].filter(([f, ds]) => rel(f).startsWith('runtime/') && ds.some((d) => rel(d).startsWith('tools/'))).map(([f]) => rel(f));
    expect(wrong).toEqual([]);
  });

  it('has no import cycle', () => {
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (u: string) => {
      state.set(u, 1);
      stack.push(u);
      for (const v of imports.get(u) ?? []) {
        if (state.get(v) === 1) cycles.push([...stack.slice(stack.indexOf(v)), v].map(rel).join(' -> '));
        else if (!state.has(v)) visit(v);
      }
      stack.pop();
      state.set(u, 2);
    };
    for (const f of sources) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('keeps the docs short: README <= 150 lines, each docs/results file <= 200, no results files or images at the root', () => {
    const lines = (f: string) => readFileSync(join(ROOT, f), 'utf8').split('\n').length - 1;
    expect(lines('README.md')).toBeLessThanOrEqual(150);
    const results: string[] = [];
    const collect = (d: string) => { for (const f of readdirSync(join(ROOT, d))) { const p = join(d, f); if (statSync(join(ROOT, p)).isDirectory()) collect(p); else if (p.endsWith('.md')) results.push(p); } };
    collect('docs/results');
    expect(results.filter((f) => lines(f) > 200)).toEqual([]);
    expect(readdirSync(ROOT).filter((f) => /\.(png|svg|jpg)$|results/.test(f))).toEqual([]);
  });

  it('keeps every runtime file at 300 lines or fewer', () => {
    const long = sources.filter((f) => rel(f).startsWith('runtime/')).map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length - 1] as const).filter(([, n]) => n > 300);
    expect(long).toEqual([]);
  });
});
