/**
 * Home Assistant `value_template` and friends: the variables are `value` (the payload as text) and `value_json` (the
 * payload parsed, when it is JSON). Evaluated by jinja.ts; a form it does not evaluate (`{{ value.x }}`: value is a
 * string) gives no template, so the user learns which entity cannot be read.
 */
import { compileJinja } from './jinja.js';

export type Template = (payload: string) => string | number | boolean | null | undefined;

export function compileTemplate(source: string | undefined): Template | undefined {
  if (source === undefined) return (p) => p;
  const c = compileJinja(source, { value: 'scalar', value_json: 'object' });
  if (!c) return undefined;
  return (payload: string) => {
    let json: unknown, parsed = false;
    const vars = {
      value: payload,
      get value_json() {
        if (!parsed) { parsed = true; try { json = JSON.parse(payload); } catch { json = undefined; } }
        return json;
      },
    };
    const v = c.value(vars);
    if (v === undefined || v === null || typeof v === 'number' || typeof v === 'boolean') return v;
    return typeof v === 'string' ? v.trim() : JSON.stringify(v);
  };
}
