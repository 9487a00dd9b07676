/**
 * The flags Node.js runs the hub with, wherever it is started (the `hearth` command's first line, `npm start`, the
 * systemd unit, the benches' hub processes; test/cli/node-flags.test.ts holds them to this list). V8's young generation
 * grows to 16 MB per semi-space by default; the hub's garbage is mostly small and short-lived. With 4 MB the whole hub
 * with two satellites peaks at 232-238 MB instead of 258-266 (node dist/tools/bench/hub-rss.js); 2 MB saved a few MB
 * more but its collections pushed the rewrite cache's p99 lookup to 1.5-1.6 ms (goal 1 ms; 0.39-0.68 with 4 MB:
 * `npm run bench -- --only rewrite`). 2026-12-07.
 */
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
