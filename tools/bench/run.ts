/**
 * `npm run bench`: every benchmark, written to bench-results.md with the machine, the command and
 * the date. Goals live in the issues; each table says whether this run met them.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchText } from './text.js';
import { benchWake } from './wake.js';
import { benchRewrite } from './rewrite.js';
import { benchAsr } from './asr.js';
import { benchSync } from './sync.js';

const sections = [benchText(), benchRewrite(), await benchWake(), await benchAsr(), await benchSync()];
const md = `# Bench results

Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}
Command: \`npm run bench\` (tools/bench/run.ts)
Date: ${new Date().toISOString()}

${sections.join('\n')}`;
writeFileSync('bench-results.md', md);
process.stdout.write(md);
