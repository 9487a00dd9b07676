/**
 * YAML file -> environment overrides -> JSON Schema validation with defaults -> deep freeze.
 * Environment: HEARTH__<KEY>__<KEY>=value sets a nested key (HEARTH__MQTT__URL=mqtt://...); the
 * value is parsed as YAML so numbers and booleans keep their type.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { HearthError } from '../types/errors.js';
import { configSchema } from './schema.js';
import type { HearthConfig } from './config.js';

const ENV_PREFIX = 'HEARTH__';

type Json = Record<string, unknown>;

export function readConfigFile(path: string): Json {
  if (!existsSync(path)) {
    throw new HearthError('config-file-missing', 'config', `Config file ${path} does not exist. Copy firmware-config/default-config.yaml there or leave --config out to use the defaults.`, { path });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new HearthError('config-yaml-invalid', 'config', `Config file ${path} is not valid YAML: ${(err as Error).message}`, { path }, err);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new HearthError('config-yaml-invalid', 'config', `Config file ${path} must hold a mapping of keys, not ${Array.isArray(parsed) ? 'a list' : typeof parsed}.`, { path });
  }
  return parsed as Json;
}

/** Finds the schema key matching an env segment case-insensitively (HEARTH__MQTT__TOPICPREFIX -> mqtt.topicPrefix). */
function schemaKey(schema: Json | undefined, segment: string): string | undefined {
  const props = schema?.['properties'] as Json | undefined;
  if (!props) return undefined;
  return Object.keys(props).find((k) => k.toLowerCase() === segment.toLowerCase());
}

export function applyEnv(base: Json, env: NodeJS.ProcessEnv): Json {
  const out: Json = structuredClone(base);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || raw === undefined) continue;
    const segments = name.slice(ENV_PREFIX.length).split('__');
    let schema: Json | undefined = configSchema as unknown as Json;
    let target: Json = out;
    segments.forEach((segment, i) => {
      const key = schemaKey(schema, segment);
      if (!key) {
        throw new HearthError('config-env-unknown', 'config', `Environment variable ${name}: "${segment}" is not a config key. Known keys are in firmware-config/default-config.yaml.`, { variable: name });
      }
      schema = (schema?.['properties'] as Json)[key] as Json;
      if (i === segments.length - 1) {
        target[key] = raw === '' ? null : parseYaml(raw);
      } else {
        const next = target[key];
        target[key] = next && typeof next === 'object' ? next : {};
        target = target[key] as Json;
      }
    });
  }
  return out;
}

const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false });
const validate = ajv.compile(configSchema);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Validates a raw config object, filling defaults. Throws config-invalid naming every bad key. */
export function validateConfig(raw: Json, origin = 'config'): HearthConfig {
  const candidate = structuredClone(raw);
  if (!validate(candidate)) {
    const problems = (validate.errors ?? []).map((e) => {
      const where = (e.instancePath || '/').replace(/^\//, '').replace(/\//g, '.') || '(top level)';
      if (e.keyword === 'additionalProperties') {
        const extra = (e.params as { additionalProperty: string }).additionalProperty;
        return `${where === '(top level)' ? '' : where + '.'}${extra}: unknown key`;
      }
      return `${where}: ${e.message ?? 'invalid'}`;
    });
    throw new HearthError('config-invalid', 'config', `Invalid ${origin}: ${problems.join('; ')}. See firmware-config/default-config.yaml for every key.`, { problems });
  }
  return deepFreeze(candidate as unknown as HearthConfig);
}

/** firmware-config/profiles of this installation, found upwards from this file (runtime/ in tests, dist/runtime/ built). */
function profilesDir(): string {
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'firmware-config'))) return join(dir, 'firmware-config', 'profiles');
  return join(from, 'profiles');
}

/** A board profile (firmware-config/profiles/<name>.yaml): settings for that board, under the user's own file. */
export function readProfile(name: string): Json {
  const dir = profilesDir();
  const known = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)) : [];
  if (!known.includes(name)) throw new HearthError('config-profile-unknown', 'config', `No profile "${name}" in ${dir}; the profiles are: ${known.join(', ') || 'none'}.`, { profile: name });
  return readConfigFile(join(dir, `${name}.yaml`));
}

export interface LoadOptions {
  readonly file?: string | undefined;
  /** A board profile applied under the file (defaults < profile < file < environment < overrides). */
  readonly profile?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
  /** Values from the command line or a scenario, applied last. */
  readonly overrides?: Json;
}

function merge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = v && typeof v === 'object' && !Array.isArray(v) && prev && typeof prev === 'object' && !Array.isArray(prev)
      ? merge(prev as Json, v as Json) : v;
  }
  return out;
}

export function loadConfig(options: LoadOptions = {}): HearthConfig {
  const fromFile = options.file ? readConfigFile(options.file) : {};
  const base = options.profile ? merge(readProfile(options.profile), fromFile) : fromFile;
  const withEnv = applyEnv(base, options.env ?? process.env);
  const merged = options.overrides ? merge(withEnv, options.overrides) : withEnv;
  return validateConfig(merged, options.file ? `config file ${options.file}` : 'config');
}

export { merge as mergeConfig };
