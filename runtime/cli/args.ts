/** A small argv parser: positional words, --flag and --key value. */
export interface Args { readonly positional: string[]; readonly flags: Record<string, string | true> }

export function parseArgs(argv: readonly string[], valued: readonly string[] = ['config', 'broker', 'engine', 'timeout', 'file', 'det', 'report', 'layer', 'curve', 'json-out', 'wav', 'profile', 'shifts-ms']): Args {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
      if (v !== undefined) flags[k] = v;
      else if (valued.includes(k) && argv[i + 1] !== undefined) flags[k] = argv[++i]!;
      else flags[k] = true;
    } else positional.push(a);
  }
  return { positional, flags };
}
