/**
 * The TypeScript type a JSON Schema describes, for the subset schema.ts uses (objects with properties or with
 * additionalProperties, arrays, enums, string, integer, number, boolean, each optionally nullable). The config's
 * type is derived from its one schema this way, so the two cannot drift apart. Every key has a default, so every
 * key is present once the loader has validated and filled the config.
 */
export type FromSchema<S> =
  S extends { readonly enum: readonly (infer E)[] } ? E
  : S extends { readonly type: 'object'; readonly properties: infer P } ? { readonly [K in keyof P]: FromSchema<P[K]> }
  : S extends { readonly type: 'object'; readonly additionalProperties: infer V } ? Readonly<Record<string, FromSchema<V>>>
  : S extends { readonly type: 'array'; readonly items: infer I } ? readonly FromSchema<I>[]
  : S extends { readonly type: readonly [infer T, 'null'] } ? FromSchema<{ readonly type: T }> | null
  : S extends { readonly type: 'string' } ? string
  : S extends { readonly type: 'integer' | 'number' } ? number
  : S extends { readonly type: 'boolean' } ? boolean
  : never;
