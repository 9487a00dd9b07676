/**
 * Writes firmware-config/default-config.yaml from the config schema: every key with its default and
 * description as a comment. Run after changing runtime/config/schema.ts:
 *   npm run build && node dist/tools/gen-default-config.js
 */
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { configSchema } from '../runtime/config/schema.js';

type Node = { description?: string; default?: unknown; properties?: Record<string, Node> };

function render(props: Record<string, Node>, indent: string): string[] {
  const out: string[] = [];
  for (const [key, node] of Object.entries(props)) {
    if (node.description) out.push(`${indent}# ${node.description}`);
    if (node.properties) {
      out.push(`${indent}${key}:`);
      out.push(...render(node.properties, `${indent}  `));
    } else {
      const value = stringify({ [key]: node.default ?? null }, { lineWidth: 0 }).trimEnd().split('\n');
      out.push(...value.map((l) => `${indent}${l}`));
    }
  }
  return out;
}

const header = [
  '# Hearth configuration: every key, its default and what it does.',
  '# Copy to hearth.yaml (or pass --config FILE) and change what you need; keys you leave out keep these defaults.',
  '# Any key can also be set from the environment: HEARTH__MQTT__URL=mqtt://broker:1883 sets mqtt.url.',
  '# Generated from runtime/config/schema.ts by tools/gen-default-config.ts.',
  '',
];
writeFileSync('firmware-config/default-config.yaml', `${[...header, ...render((configSchema as unknown as Node).properties!, '')].join('\n')}\n`);
