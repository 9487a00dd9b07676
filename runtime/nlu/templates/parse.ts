/**
 * Home Assistant's sentence template language (home-assistant/intents, HA's custom_sentences; hassil reads it):
 *   (a | b)   one of      [x]   optional      (a; b)  in any order      {list} / {list:slot}  a slot      <rule>  expansion
 * A template is parsed once into a tree; matching (match.ts) and the ASR grammar (jsgf.ts) are both made from the tree,
 * so what can be said and what is understood are the same sentences. Errors name the column; the loader adds file and line.
 */
export type TemplateNode =
  | { readonly k: 'text'; readonly text: string }
  | { readonly k: 'seq'; readonly items: readonly TemplateNode[] }
  | { readonly k: 'alt'; readonly options: readonly TemplateNode[]; readonly optional: boolean }
  | { readonly k: 'perm'; readonly items: readonly TemplateNode[] }
  | { readonly k: 'list'; readonly list: string; readonly slot: string }
  | { readonly k: 'rule'; readonly name: string };

export class TemplateError extends Error {
  constructor(message: string, readonly column: number) { super(message); }
}

const NAME = /^[A-Za-z0-9_.-]+$/;

export function parseTemplate(src: string): TemplateNode {
  let i = 0;
  const fail = (why: string): never => { throw new TemplateError(`${why} at column ${i + 1} of "${src}"`, i + 1); };

  const ref = (close: string, what: string): string => {
    const end = src.indexOf(close, i);
    if (end < 0) fail(`${what} not closed with "${close}"`);
    const body = src.slice(i, end).trim();
    i = end + 1;
    return body;
  };

  /** A sequence up to one of `stops` (not consumed). */
  const seq = (stops: string): TemplateNode => {
    const items: TemplateNode[] = [];
    let text = '';
    const flush = () => { if (text.trim()) items.push({ k: 'text', text }); text = ''; };
    while (i < src.length && !stops.includes(src[i]!)) {
      const c = src[i]!;
      if (c === '(' || c === '[') {
        flush();
        i++;
        items.push(group(c === '(' ? ')' : ']', c === '['));
      } else if (c === '{') {
        flush();
        i++;
        const body = ref('}', 'a list {...}');
        const [list, slot] = body.split(':').map((s) => s.trim()) as [string, string | undefined];
        if (!NAME.test(list) || (slot !== undefined && !NAME.test(slot))) fail(`"{${body}}" is not a list name`);
        items.push({ k: 'list', list, slot: slot ?? list });
      } else if (c === '<') {
        flush();
        i++;
        const name = ref('>', 'a rule <...>');
        if (!NAME.test(name)) fail(`"<${name}>" is not a rule name`);
        items.push({ k: 'rule', name });
      } else if (c === ')' || c === ']' || c === '}' || c === '>') {
        fail(`"${c}" without its opening bracket`);
      } else {
        text += c;
        i++;
      }
    }
    flush();
    return items.length === 1 ? items[0]! : { k: 'seq', items };
  };

  const group = (close: string, optional: boolean): TemplateNode => {
    const parts: TemplateNode[] = [];
    let sep: '|' | ';' | undefined;
    for (;;) {
      parts.push(seq(`|;${close}`));
      if (i >= src.length) fail(`"${optional ? '[' : '('}" not closed`);
      const c = src[i++]!;
      if (c === close) break;
      if (sep && sep !== c) fail('"|" and ";" mixed in one group');
      sep = c as '|' | ';';
    }
    if (sep === ';') return optional ? { k: 'alt', options: [{ k: 'perm', items: parts }], optional } : { k: 'perm', items: parts };
    return { k: 'alt', options: parts, optional };
  };

  // "a | b" at the top level (an expansion rule often is one) is one of its parts, as inside parentheses.
  const parts = [seq('|')];
  while (src[i] === '|') { i++; parts.push(seq('|')); }
  if (i < src.length) fail('unexpected character');
  return parts.length === 1 ? parts[0]! : { k: 'alt', options: parts, optional: false };
}

/** Every list and rule a template names (the loader checks each one exists). */
export function references(node: TemplateNode, out: { lists: Set<string>; rules: Set<string> } = { lists: new Set(), rules: new Set() }) {
  switch (node.k) {
    case 'list': out.lists.add(node.list); break;
    case 'rule': out.rules.add(node.name); break;
    case 'seq': case 'perm': node.items.forEach((n) => references(n, out)); break;
    case 'alt': node.options.forEach((n) => references(n, out)); break;
    default: break;
  }
  return out;
}
