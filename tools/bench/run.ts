/**
 * `npm run bench`: every benchmark, written to docs/results/bench/latest.md (or --out) with the machine, the command and
 * the date. Goals live in the issues; each table says whether this run met them.
 * `npm run bench -- --out <file>` writes elsewhere: a second machine's results beside the first's; `--only asr` (text,
 * rewrite, wake, asr, sync, flood, tts) runs one section.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchText } from './text.js';
import { benchWake } from './wake.js';
import { benchRewrite } from './rewrite.js';
import { benchAsr } from './asr.js';
import { benchSync } from './sync.js';
import { benchFlood } from './flood.js';
import { benchTts } from './tts.js';

const outAt = process.argv.indexOf('--out');
const out = outAt >= 0 ? process.argv[outAt + 1] : 'docs/results/bench/latest.md';
if (!out) { process.stderr.write('npm run bench -- --out <file>: name the file\n'); process.exit(2); }
const SECTIONS: Readonly<Record<string, () => string | Promise<string>>> = {
  text: benchText, rewrite: benchRewrite, wake: benchWake, asr: benchAsr, sync: benchSync, flood: benchFlood, tts: benchTts,
};
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
if (only !== undefined && !SECTIONS[only]) { process.stderr.write(`--only: one of ${Object.keys(SECTIONS).join(', ')}\n`); process.exit(2); }
const sections: string[] = [];
for (const [name, run] of Object.entries(SECTIONS)) if (!only || name === only) sections.push(await run()); // one at a time: timings not shared

const md = `# Bench results

Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}
Command: \`npm run bench${out === 'docs/results/bench/latest.md' && !only ? '' : ` --${only ? ` --only ${only}` : ''}${out === 'docs/results/bench/latest.md' ? '' : ` --out ${out}`}`}\` (tools/bench/run.ts)
Date: ${new Date().toISOString()}

${sections.join('\n')}`;
writeFileSync(out, md);
process.stdout.write(md);
