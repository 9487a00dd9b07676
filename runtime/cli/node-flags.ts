/**
 * The flags Node.js runs the hub with, wherever it is started (the `hearth` command's first line, `npm start`, the
 * systemd unit, the benches' hub processes; test/cli/node-flags.test.ts holds them to this list). V8's young generation
 * grows to 16 MB per semi-space by default; the hub's garbage is mostly small and short-lived, and 2 MB keeps the whole
 * hub with two satellites at 234-242 MB instead of 258-266 (node dist/tools/bench/hub-rss.js, 2026-12-07).
 */
export const HUB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
