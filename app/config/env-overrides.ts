/**
 * `LEAKPROOF_<SECTION>_<KEY>` environment overrides. The names are derived from the default config's
 * leaf paths (camelCase → SCREAMING_SNAKE), so a new config field gets its variable without a table.
 * Values are coerced by the default's type; a value that does not coerce is passed through as a string
 * so that the schema reports it with the field's own reason.
 */

const PREFIX = 'LEAKPROOF_';
/** Read elsewhere (config path, secrets); never treated as config overrides. */
export const RESERVED_ENV = new Set(['LEAKPROOF_CONFIG', 'LEAKPROOF_BYBIT_API_KEY', 'LEAKPROOF_BYBIT_API_SECRET']);
/** Maps keyed by timeframe: their keys are not in the defaults, so the suffix is the key. */
const RECORD_PATHS = [['refresh', 'ohlcvSeconds'], ['limits', 'ohlcv']] as const;

type Leaf = string | number | boolean | string[];
type Json = { [k: string]: unknown };

export interface EnvOverride {
  envName: string;
  path: string[];
  value: unknown;
}

export const toEnvSegment = (key: string) => key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();

function leafPaths(node: unknown, path: string[] = [], out = new Map<string, { path: string[]; sample: Leaf }>()) {
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    for (const [k, v] of Object.entries(node as Json)) leafPaths(v, [...path, k], out);
  } else {
    out.set(PREFIX + path.map(toEnvSegment).join('_'), { path, sample: node as Leaf });
  }
  return out;
}

function coerce(raw: string, sample: Leaf): unknown {
  if (Array.isArray(sample)) return raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (typeof sample === 'number') {
    const n = Number(raw);
    return raw.trim() === '' || !Number.isFinite(n) ? raw : n;
  }
  if (typeof sample === 'boolean') {
    if (/^(true|1|yes|on)$/i.test(raw)) return true;
    if (/^(false|0|no|off)$/i.test(raw)) return false;
  }
  return raw;
}

/** Overrides found in `env`, plus the LEAKPROOF_ names that match no setting (reported as warnings). */
export function envOverrides(defaults: object, env: NodeJS.ProcessEnv): { overrides: EnvOverride[]; unknown: string[] } {
  const leaves = leafPaths(defaults);
  const overrides: EnvOverride[] = [];
  const unknown: string[] = [];
  for (const [envName, raw] of Object.entries(env)) {
    if (!envName.startsWith(PREFIX) || raw === undefined || RESERVED_ENV.has(envName)) continue;
    const leaf = leaves.get(envName);
    if (leaf) {
      overrides.push({ envName, path: leaf.path, value: coerce(raw, leaf.sample) });
      continue;
    }
    const record = RECORD_PATHS.find((p) => envName.startsWith(PREFIX + p.map(toEnvSegment).join('_') + '_'));
    if (record) {
      const key = envName.slice((PREFIX + record.map(toEnvSegment).join('_') + '_').length).toLowerCase();
      overrides.push({ envName, path: [...record, key], value: coerce(raw, 0) });
      continue;
    }
    unknown.push(envName);
  }
  return { overrides, unknown };
}

/** Writes `value` at `path` into a copy of `target`, creating objects on the way. */
export function setPath(target: Json, path: readonly string[], value: unknown): Json {
  const [head, ...rest] = path;
  if (head === undefined) return target;
  const child = target[head];
  const next = rest.length === 0 ? value : setPath(isObject(child) ? child : {}, rest, value);
  return { ...target, [head]: next };
}

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
