/**
 * The common forms of Home Assistant `value_template`, evaluated without a Jinja engine:
 * `{{ value }}`, `{{ value_json.a.b }}`, `{{ value_json['a'] }}`, `{{ value_json[0] }}` and the
 * filters float, int, round(n), lower, upper, string, trim, abs, default(x); conditionals as the
 * bridges write them: `{{ 'ON' if value_json.state == 'on' else 'OFF' }}`, `{{ value_json.x if value_json.x
 * is defined else 0 }}` and `{% if value_json.state == 'on' %}ON{% else %}OFF{% endif %}`. Anything else
 * (`{{ value.x }}`: value is a string) is reported as unsupported, so the user learns which entity cannot be read.
 */
export type Template = (payload: string) => string | number | boolean | null | undefined;

const EXPR = /^\{\{\s*(.*?)\s*\}\}$/s;

export function compileTemplate(source: string | undefined): Template | undefined {
  if (source === undefined) return (p) => p;
  const block = /^\{%-?\s*if\s+(.+?)\s*-?%\}(.*?)\{%-?\s*else\s*-?%\}(.*?)\{%-?\s*endif\s*-?%\}$/s.exec(source.trim());
  if (block) {
    const cond = compileCondition(block[1]!), yes = compileText(block[2]!), no = compileText(block[3]!);
    return cond && yes && no ? (p) => (cond(p) ? yes(p) : no(p)) : undefined;
  }
  const m = EXPR.exec(source.trim());
  if (!m) return undefined;
  return compileExpression(m[1]!);
}

/** `A if COND else B`, or a path with filters. */
function compileExpression(expr: string): Template | undefined {
  const ternary = /^(.+?)\s+if\s+(.+?)\s+else\s+(.+)$/s.exec(expr.trim());
  if (ternary) {
    const yes = compileOperand(ternary[1]!), cond = compileCondition(ternary[2]!), no = compileOperand(ternary[3]!);
    return yes && cond && no ? (p) => (cond(p) ? yes(p) : no(p)) : undefined;
  }
  return compileFiltered(expr);
}

/** A literal ('ON', 3, true) or a path with filters. */
function compileOperand(s: string): Template | undefined {
  const lit = literal(s.trim());
  return lit !== undefined ? () => lit.value : compileFiltered(s);
}

/** The text between block tags: plain text, or one {{ expression }}. */
function compileText(s: string): Template | undefined {
  const t = s.trim();
  const m = EXPR.exec(t);
  if (m) return compileExpression(m[1]!);
  return /[{}%]/.test(t) ? undefined : () => t;
}

function literal(s: string): { value: string | number | boolean | null } | undefined {
  const q = /^'([^']*)'$|^"([^"]*)"$/.exec(s);
  if (q) return { value: q[1] ?? q[2]! };
  if (/^-?\d+(\.\d+)?$/.test(s)) return { value: Number(s) };
  if (s === 'true' || s === 'True') return { value: true };
  if (s === 'false' || s === 'False') return { value: false };
  if (s === 'none' || s === 'None') return { value: null };
  return undefined;
}

/** `X == lit`, `X != lit`, `X is defined`, `X is not defined`, or X itself (truthy). */
function compileCondition(s: string): ((payload: string) => boolean) | undefined {
  const c = s.trim();
  const defined = /^(.+?)\s+is\s+(not\s+)?defined$/.exec(c);
  if (defined) {
    const x = compileFiltered(defined[1]!);
    return x ? (p) => (x(p) !== undefined) !== !!defined[2] : undefined;
  }
  const cmp = /^(.+?)\s*(==|!=)\s*(.+)$/.exec(c);
  if (cmp) {
    const x = compileOperand(cmp[1]!), y = compileOperand(cmp[3]!);
    return x && y ? (p) => (x(p) === y(p)) === (cmp[2] === '==') : undefined;
  }
  const x = compileFiltered(c);
  return x ? (p) => { const v = x(p); return v !== undefined && v !== null && v !== false && v !== '' && v !== 0; } : undefined;
}

function compileFiltered(expr: string): Template | undefined {
  const parts = splitPipes(expr);
  const head = parts[0]!.trim();
  const path = parsePath(head);
  if (!path) return undefined;
  const filters = parts.slice(1).map((f) => parseFilter(f.trim()));
  if (filters.some((f) => f === undefined)) return undefined;
  return (payload: string) => {
    let v: unknown;
    if (path.json) {
      try { v = JSON.parse(payload); } catch { return undefined; }
      for (const key of path.keys) {
        if (v === null || typeof v !== 'object') { v = undefined; break; }
        v = (v as Record<string | number, unknown>)[key];
      }
    } else v = payload;
    for (const f of filters) v = f!(v);
    if (v === undefined || v === null) return v as undefined | null;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
    return JSON.stringify(v);
  };
}

function splitPipes(s: string): string[] {
  const out: string[] = [];
  let depth = 0, quote = '', cur = '';
  for (const ch of s) {
    if (quote) { if (ch === quote) quote = ''; cur += ch; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    if (ch === '|' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

function parsePath(head: string): { json: boolean; keys: (string | number)[] } | undefined {
  if (head === 'value') return { json: false, keys: [] };
  if (!head.startsWith('value_json')) return undefined;
  let rest = head.slice('value_json'.length);
  const keys: (string | number)[] = [];
  const token = /^(?:\.([A-Za-z_][A-Za-z0-9_]*)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*(\d+)\s*\])/;
  while (rest.length > 0) {
    const m = token.exec(rest);
    if (!m) return undefined;
    keys.push(m[1] ?? m[2] ?? m[3] ?? Number(m[4]));
    rest = rest.slice(m[0].length);
  }
  return { json: true, keys };
}

function parseFilter(f: string): ((v: unknown) => unknown) | undefined {
  const m = /^([a-z_]+)\s*(?:\((.*)\))?$/.exec(f);
  if (!m) return undefined;
  const arg = m[2]?.trim();
  const toNum = (v: unknown, fallback: number | undefined) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    return Number.isFinite(n) ? n : fallback;
  };
  const argNum = arg !== undefined && arg !== '' ? Number(arg) : undefined;
  switch (m[1]) {
    case 'float': return (v) => toNum(v, argNum ?? 0);
    case 'int': return (v) => { const n = toNum(v, argNum ?? 0); return n === undefined ? n : Math.trunc(n); };
    case 'round': return (v) => { const n = toNum(v, undefined); const d = argNum ?? 0; return n === undefined ? v : Math.round(n * 10 ** d) / 10 ** d; };
    case 'lower': return (v) => (typeof v === 'string' ? v.toLowerCase() : v);
    case 'upper': return (v) => (typeof v === 'string' ? v.toUpperCase() : v);
    case 'string': return (v) => (v === undefined || v === null ? v : String(v));
    case 'trim': return (v) => (typeof v === 'string' ? v.trim() : v);
    case 'abs': return (v) => { const n = toNum(v, undefined); return n === undefined ? v : Math.abs(n); };
    case 'default': case 'd': {
      const lit = arg === undefined ? '' : /^['"](.*)['"]$/.exec(arg)?.[1] ?? (Number.isFinite(Number(arg)) ? Number(arg) : arg);
      return (v) => (v === undefined || v === null ? lit : v);
    }
    default: return undefined;
  }
}
