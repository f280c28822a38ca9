import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Secrets, type ServiceConfig } from './config-schema.ts';
import { envOverrides, isObject, setPath } from './env-overrides.ts';

export type ConfigResult =
  | {
      ok: true;
      config: ServiceConfig;
      secrets: Secrets;
      source: string;
      /** Where `exchange` was set (the config file's path or the variable's name); undefined when defaulted. */
      exchangeFrom: string | undefined;
      warnings: string[];
    }
  | { ok: false; reason: string };

export interface LoadConfigOptions {
  /** From `--config PATH`; falls back to LEAKPROOF_CONFIG, then to defaults only. */
  configPath?: string;
  env?: NodeJS.ProcessEnv;
  readFile?: (path: string) => string;
}

function readConfigFile(path: string, readFile: (p: string) => string): { ok: true; raw: unknown } | { ok: false; reason: string } {
  let text: string;
  try {
    text = readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: `config file ${path}: ${code === 'ENOENT' ? 'not found' : String((err as Error).message)}` };
  }
  try {
    const raw = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
    if (raw !== null && raw !== undefined && !isObject(raw)) return { ok: false, reason: `config file ${path}: must hold a mapping at the top level` };
    return { ok: true, raw: raw ?? {} };
  } catch (err) {
    const firstLine = String((err as Error).message).split('\n')[0];
    return { ok: false, reason: `config file ${path}: not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'} (${firstLine})` };
  }
}

/** File, then environment overrides, then the schema. Failures are values naming the field and reason. */
export function loadConfig(options: LoadConfigOptions = {}): ConfigResult {
  const env = options.env ?? process.env;
  const readFile = options.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
  const path = options.configPath ?? env.LEAKPROOF_CONFIG;

  let raw: Record<string, unknown> = {};
  if (path) {
    const file = readConfigFile(path, readFile);
    if (!file.ok) return file;
    raw = file.raw as Record<string, unknown>;
  }

  const { overrides, unknown } = envOverrides(configSchema.parse({}), env);
  const fromEnv = new Map<string, string>();
  for (const o of overrides) {
    raw = setPath(raw, o.path, o.value);
    fromEnv.set(o.path.join('.'), o.envName);
  }

  const exchangeFrom = fromEnv.get('exchange') ?? (path && raw.exchange !== undefined ? path : undefined);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) => {
      const field = issue.path.map(String).join('.') || '(top level)';
      const origin = fromEnv.get(field);
      // A bad record key (a timeframe Bybit does not serve) says why, not zod's bare "Invalid key in record".
      const message = (issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined) ?? issue.message;
      return `${field}: ${message}${origin ? ` (from ${origin})` : ''}`;
    });
    return { ok: false, reason: reasons.join('; ') };
  }

  const secrets: Secrets = {};
  if (env.LEAKPROOF_BYBIT_API_KEY) secrets.apiKey = env.LEAKPROOF_BYBIT_API_KEY;
  if (env.LEAKPROOF_BYBIT_API_SECRET) secrets.secret = env.LEAKPROOF_BYBIT_API_SECRET;
  return {
    ok: true,
    config: parsed.data,
    secrets,
    source: path ?? 'defaults',
    exchangeFrom,
    warnings: unknown.map((name) => `${name}: matches no setting, ignored`),
  };
}
