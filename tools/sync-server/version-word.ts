/**
 * A bundle version as a word ("bcd" for 123), for the crash test's rewrites: a rewrite may not hold a run of four
 * digits (the shape of a PIN, runtime/policy/secret.ts), and versions pass 1,000 within a run.
 */
export const versionWord = (v: number): string => String(v).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!);
export const versionOf = (word: string): number => Number(word.replace(/[a-j]/g, (c) => String(c.charCodeAt(0) - 97)));
