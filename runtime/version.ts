/** Hearth's version, as package.json says it (read once; the installed package.json sits two folders above dist/runtime). */
import { readFileSync } from 'node:fs';

function read(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch { return 'unknown'; }
}

export const HEARTH_VERSION = read();
