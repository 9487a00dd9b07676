/**
 * The part of Jinja that Home Assistant's MQTT discovery templates use, evaluated without a Jinja engine: text with
 * `{{ expression }}` and `{% if %}...{% elif %}...{% else %}...{% endif %}`. Expressions: variables with attribute and
 * index access, literals, `+ - * / ~`, comparisons, `and`/`or`/`not`, `is [not] defined`, `A if C else B`, parentheses
 * and the filters bridges use (float, int, round, lower, upper, string, trim, abs, default, tojson). Everything else
 * (function calls such as `states(...)`, other filters, attribute access on a value that is a string) is refused when
 * the template is compiled, so the adapter can refuse that one entity's state or command instead of guessing.
 */
export type Scalar = string | number | boolean | null | undefined;
export type Vars = Readonly<Record<string, unknown>>;
/** Variables a template may use: `object` ones may be indexed (value_json), `scalar` ones not (value, position). */
export type VarKinds = Readonly<Record<string, 'scalar' | 'object'>>;

export interface Compiled {
  /** The template's text. */
  render(vars: Vars): string;
  /** A template that is one `{{ expression }}` gives that expression's value (a number stays a number). */
  value(vars: Vars): unknown;
}

type Expr = (vars: Vars) => unknown;
type Node = { text: string } | { expr: Expr } | { branches: { cond: Expr | undefined; body: Node[] }[] };

class Unsupported extends Error {}

export function compileJinja(source: string, kinds: VarKinds): Compiled | undefined {
  try {
    const parts = split(source);
    const nodes = parseBlock(parts, { at: 0 }, kinds, []);
    const single = nodes.length === 1 && 'expr' in nodes[0]! ? nodes[0].expr : undefined;
    return { render: (v) => renderNodes(nodes, v), value: single ? (v) => single(v) : (v) => renderNodes(nodes, v) };
  } catch (err) {
    if (err instanceof Unsupported) return undefined;
    throw err;
  }
}

type Part = { text: string } | { expr: string } | { tag: string };

function split(source: string): Part[] {
  const out: Part[] = [];
  const re = /\{\{(-?)(.*?)(-?)\}\}|\{%(-?)(.*?)(-?)%\}/gs;
  let last = 0, trimNext = false;
  const text = (t: string, trimEnd: boolean) => {
    let x = trimNext ? t.trimStart() : t;
    if (trimEnd) x = x.trimEnd();
    if (x) out.push({ text: x });
  };
  for (const m of source.matchAll(re)) {
    // Whitespace control: `{%-` / `{{-` strip the text before, `-%}` / `-}}` the text after.
    text(source.slice(last, m.index), (m[1] ?? m[4]) === '-');
    out.push(m[2] !== undefined ? { expr: m[2] } : { tag: m[5]!.trim() });
    trimNext = (m[3] ?? m[6]) === '-';
    last = m.index! + m[0].length;
  }
  text(source.slice(last), false);
  if (out.some((p) => 'text' in p && /\{[{%]|[}%]\}/.test(p.text))) throw new Unsupported('unclosed tag');
  return out;
}

/** Nodes up to one of `stops` (a tag's first word); leaves `pos.at` on that tag. */
function parseBlock(parts: Part[], pos: { at: number }, kinds: VarKinds, stops: string[]): Node[] {
  const out: Node[] = [];
  while (pos.at < parts.length) {
    const p = parts[pos.at]!;
    if ('text' in p) { out.push({ text: p.text }); pos.at++; continue; }
    if ('expr' in p) { out.push({ expr: parseExpr(p.expr, kinds) }); pos.at++; continue; }
    const word = p.tag.split(/\s+/)[0]!;
    if (stops.includes(word)) return out;
    if (word !== 'if') throw new Unsupported(`{% ${word} %}`);
    const branches: { cond: Expr | undefined; body: Node[] }[] = [];
    let cond: Expr | undefined = parseExpr(p.tag.slice(2), kinds);
    pos.at++;
    for (;;) {
      const body = parseBlock(parts, pos, kinds, ['elif', 'else', 'endif']);
      branches.push({ cond, body });
      const end = parts[pos.at];
      if (!end || !('tag' in end)) throw new Unsupported('no endif');
      pos.at++;
      if (end.tag === 'endif') break;
      cond = end.tag.startsWith('elif') ? parseExpr(end.tag.slice(4), kinds) : undefined;
    }
    out.push({ branches });
  }
  if (stops.length > 0) throw new Unsupported('no endif');
  return out;
}

function renderNodes(nodes: readonly Node[], vars: Vars): string {
  let s = '';
  for (const n of nodes) {
    if ('text' in n) s += n.text;
    else if ('expr' in n) s += show(n.expr(vars));
    else {
      const b = n.branches.find((x) => x.cond === undefined || truthy(x.cond(vars)));
      if (b) s += renderNodes(b.body, vars);
    }
  }
  return s;
}

/** As Jinja prints a value (Python's spelling of booleans and None). */
function show(v: unknown): string {
  if (v === undefined) return '';
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const truthy = (v: unknown) => v !== undefined && v !== null && v !== false && v !== '' && v !== 0;

// ---- expressions: a small recursive-descent parser over tokens ----

const TOKEN = /\s*(?:(\d+(?:\.\d+)?)|'([^']*)'|"([^"]*)"|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|[-+*/~<>()|.[\],]))/y;

function tokens(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(src);
    if (!m) throw new Unsupported(`cannot read "${src}"`);
    // Strings keep a quote so they are never taken for names.
    out.push(m[1] ?? (m[2] !== undefined ? `'${m[2]}` : m[3] !== undefined ? `'${m[3]}` : (m[4] ?? m[5])!));
  }
  return out;
}

function parseExpr(src: string, kinds: VarKinds): Expr {
  const t = tokens(src);
  let i = 0;
  const peek = () => t[i];
  const take = (s?: string) => { const x = t[i]; if (s !== undefined && x !== s) throw new Unsupported(`expected ${s}`); i++; return x; };

  const ternary = (): Expr => {
    const a = or();
    if (peek() !== 'if') return a;
    take('if');
    const c = or();
    const b = peek() === 'else' ? (take('else'), ternary()) : () => undefined;
    return (v) => (truthy(c(v)) ? a(v) : b(v));
  };
  const or = (): Expr => { let a = and(); while (peek() === 'or') { take(); const l = a, r = and(); a = (v) => { const x = l(v); return truthy(x) ? x : r(v); }; } return a; };
  const and = (): Expr => { let a = not(); while (peek() === 'and') { take(); const l = a, r = not(); a = (v) => { const x = l(v); return truthy(x) ? r(v) : x; }; } return a; };
  const not = (): Expr => { if (peek() === 'not') { take(); const a = not(); return (v) => !truthy(a(v)); } return compare(); };
  const compare = (): Expr => {
    const a = sum();
    const op = peek();
    if (op === 'is') {
      take();
      const neg = peek() === 'not' ? (take(), true) : false;
      const test = take();
      if (test !== 'defined' && test !== 'none') throw new Unsupported(`is ${test}`);
      return test === 'defined' ? (v) => (a(v) !== undefined) !== neg : (v) => (a(v) === null) !== neg;
    }
    if (op === 'in') throw new Unsupported('in');
    if (!['==', '!=', '<', '>', '<=', '>='].includes(op ?? '')) return a;
    take();
    const b = sum();
    return (v) => {
      const x = a(v), y = b(v);
      switch (op) {
        case '==': return x === y;
        case '!=': return x !== y;
        default: {
          const [p, q] = typeof x === 'number' || typeof y === 'number' ? [Number(x), Number(y)] : [String(x), String(y)];
          return op === '<' ? p < q : op === '>' ? p > q : op === '<=' ? p <= q : p >= q;
        }
      }
    };
  };
  const sum = (): Expr => {
    let a = product();
    while (peek() === '+' || peek() === '-' || peek() === '~') {
      const op = take(), l = a, r = product();
      a = op === '~' ? (v) => show(l(v)) + show(r(v))
        : op === '+' ? (v) => { const x = l(v), y = r(v); return typeof x === 'string' && typeof y === 'string' ? x + y : Number(x) + Number(y); }
        : (v) => Number(l(v)) - Number(r(v));
    }
    return a;
  };
  const product = (): Expr => {
    let a = unary();
    while (peek() === '*' || peek() === '/') {
      const op = take(), l = a, r = unary();
      a = op === '*' ? (v) => Number(l(v)) * Number(r(v)) : (v) => Number(l(v)) / Number(r(v));
    }
    return a;
  };
  const unary = (): Expr => { if (peek() === '-') { take(); const a = unary(); return (v) => -Number(a(v)); } return filtered(); };
  const filtered = (): Expr => {
    let a = primary();
    while (peek() === '|') {
      take();
      const name = take()!;
      const args: Expr[] = [];
      if (peek() === '(') {
        take('(');
        while (peek() !== ')') { args.push(ternary()); if (peek() === ',') take(); else if (peek() !== ')') throw new Unsupported('filter arguments'); }
        take(')');
      }
      const f = FILTERS[name];
      if (!f) throw new Unsupported(`filter ${name}`);
      const l = a;
      a = (v) => f(l(v), args.map((x) => x(v)));
    }
    return a;
  };
  const primary = (): Expr => {
    const x = take();
    if (x === undefined) throw new Unsupported('end of expression');
    if (x === '(') { const a = ternary(); take(')'); return a; }
    if (/^\d/.test(x)) { const n = Number(x); return () => n; }
    if (x.startsWith("'")) { const s = x.slice(1); return () => s; }
    if (x === 'true' || x === 'True') return () => true;
    if (x === 'false' || x === 'False') return () => false;
    if (x === 'none' || x === 'None') return () => null;
    const kind = kinds[x];
    if (!kind) throw new Unsupported(`${x} is not a variable here`);
    const path: Expr[] = [];
    while (peek() === '.' || peek() === '[') {
      if (kind === 'scalar') throw new Unsupported(`${x} is not an object`);
      if (take() === '.') { const k = take()!; path.push(() => k); } else { path.push(ternary()); take(']'); }
    }
    if (peek() === '(') throw new Unsupported('function calls');
    return (v) => {
      let o: unknown = v[x];
      for (const k of path) {
        if (o === null || typeof o !== 'object') return undefined;
        o = (o as Record<string, unknown>)[String(k(v))];
      }
      return o;
    };
  };

  const e = ternary();
  if (i < t.length) throw new Unsupported(`unexpected ${t[i]}`);
  return e;
}

const toNum = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'boolean' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** Jinja's filters, as Home Assistant's templates use them; each takes the value and its evaluated arguments. */
const FILTERS: Readonly<Record<string, (v: unknown, args: unknown[]) => unknown>> = {
  float: (v, [d]) => toNum(v) ?? toNum(d) ?? 0,
  int: (v, [d]) => { const n = toNum(v) ?? toNum(d) ?? 0; return Math.trunc(n); },
  round: (v, [d]) => { const n = toNum(v); const p = toNum(d) ?? 0; return n === undefined ? v : Math.round(n * 10 ** p) / 10 ** p; },
  abs: (v) => { const n = toNum(v); return n === undefined ? v : Math.abs(n); },
  lower: (v) => (typeof v === 'string' ? v.toLowerCase() : v),
  upper: (v) => (typeof v === 'string' ? v.toUpperCase() : v),
  trim: (v) => (typeof v === 'string' ? v.trim() : v),
  string: (v) => (v === undefined ? '' : show(v)),
  default: (v, [d]) => (v === undefined ? d : v),
  d: (v, [d]) => (v === undefined ? d : v),
  tojson: (v) => JSON.stringify(v ?? null),
  to_json: (v) => JSON.stringify(v ?? null),
};
