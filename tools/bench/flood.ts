/**
 * A hostile home, measured (goals from the hostile-home issue): 100,000 state messages absorbed at >= 10,000 msgs/s
 * with `say` p99 <= 250 ms during the flood, and RSS after 10,000 hostile messages within 10% of RSS after the first
 * 1,000. The work runs in a child process (flood-child.ts, with --expose-gc so RSS is read after collection).
 */
import { execFileSync } from 'node:child_process';
import { HUB_NODE_FLAGS } from '../../runtime/cli/node-flags.js';
import { fileURLToPath } from 'node:url';

interface Flood { broker: string; absorbed: number; seconds: number; rate: number; says: number; asked: number; p50: number; p99: number; rss1000: number; rss10000: number; devices: number }

export function benchFlood(): string {
  const r = JSON.parse(execFileSync(process.execPath, [...HUB_NODE_FLAGS, '--expose-gc', fileURLToPath(new URL('./flood-child.js', import.meta.url))], { encoding: 'utf8', timeout: 300_000 })) as Flood;
  const growth = (r.rss10000 - r.rss1000) / r.rss1000;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return `## A hostile home: a flood of state messages, then hostile ones (${r.broker})

| what | measured | goal |
|---|---|---|
| 100,000 zigbee2mqtt state messages (100 lamps) absorbed | ${r.absorbed.toLocaleString('en')} in ${r.seconds.toFixed(2)} s = ${Math.round(r.rate).toLocaleString('en')} msgs/s | >= 10,000 msgs/s: ${met(r.rate >= 10_000 && r.absorbed >= 100_000)} |
| "what time is it" on the say topic every 20 ms during 100,000 more at 10,000 msgs/s, to its /turn | p50 ${r.p50.toFixed(0)} ms, p99 ${r.p99.toFixed(0)} ms (${r.says} of ${r.asked} answered) | p99 <= 250 ms: ${met(r.p99 <= 250 && r.says === r.asked)} |
| RSS after gc: 1,000 hostile messages, then 10,000 | ${r.rss1000.toFixed(1)} MB, then ${r.rss10000.toFixed(1)} MB (${(100 * growth).toFixed(1)}%; ${r.devices} devices, maxDevices reached by spoofed Shelly ids) | grows at most 10% (a leak grows; settling after the flood shrinks it): ${met(growth <= 0.1)} |

Hostile messages (tools/bench/flood-child.ts): malformed JSON state, spoofed Shelly status topics, junk topics with 10 KB
payloads, broken discovery configs, a garbage bridge/devices, in turn.
`;
}
