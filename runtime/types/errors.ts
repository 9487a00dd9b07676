/**
 * One error type for every stage boundary. The code is stable kebab-case so logs, tests and the
 * interaction log can match on it; `fault` says whose move it is (the user's config, the machine's
 * environment, outside input, or a bug to report).
 */
export type Fault = 'config' | 'environment' | 'input' | 'bug';

export class HearthError extends Error {
  /** Stable kebab-case code, e.g. `config-invalid`, `intent-no-match`. */
  readonly code: string;
  readonly fault: Fault;
  /** Small structured details for logs (never raw payloads or audio). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, fault: Fault, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'HearthError';
    this.code = code;
    this.fault = fault;
    this.details = details;
  }
}

/** Wraps anything thrown into a HearthError, keeping one that already is. */
export function asHearthError(err: unknown, code: string, fault: Fault = 'bug'): HearthError {
  if (err instanceof HearthError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new HearthError(code, fault, message, {}, err);
}
