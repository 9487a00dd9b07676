/**
 * The validated, frozen configuration: its type is derived from the one schema (schema.ts), so a key added there is a
 * key here, with the same type, enum and nullability.
 */
import type { FromSchema } from './from-schema.js';
import type { configSchema } from './schema.js';

export type HearthConfig = FromSchema<typeof configSchema>;
export type WakeWordConfig = HearthConfig['wake']['words'][number];
