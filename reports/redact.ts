/**
 * Strips secrets from anything about to be logged or written as evidence. Known secret values
 * (passphrases, env values) are replaced wherever they appear; key-like shapes (PEM private keys,
 * `password=...`, bearer tokens) are replaced even when nobody named them.
 */
export const REDACTED = '[REDACTED]';

const SECRET_NAME = /(pass(word|phrase)?|secret|token|api[_-]?key|private[_-]?key|credential)/i;

const [PRIVATE_KEY, AUTH_HEADER, SECRET_ASSIGNMENT] = [
  /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g,
  // name=value / name: value where the name says secret; keeps the name so the line still reads.
  /\b([A-Za-z0-9_.-]*(?:pass(?:word|phrase)?|secret|token|api[_-]?key|private[_-]?key)[A-Za-z0-9_.-]*)(["']?\s*[:=]\s*["']?)([^\s"',;}&]+)/gi,
] as const;

export interface RedactOptions {
  /** Exact values to remove: passphrases, keys, tokens. */
  secrets?: readonly string[];
  /** Environment handed to a remote command: every value is treated as a secret. */
  env?: Readonly<Record<string, string | undefined>>;
}

function secretValues(options: RedactOptions): string[] {
  const values = [...(options.secrets ?? []), ...Object.values(options.env ?? {})];
  // Very short values would shred ordinary text; they are not credentials anyway.
  return [...new Set(values.filter((v): v is string => typeof v === 'string' && v.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );
}

export function redactText(text: string, options: RedactOptions = {}): string {
  let out = text;
  for (const value of secretValues(options)) out = out.split(value).join(REDACTED);
  out = out.replace(PRIVATE_KEY, REDACTED).replace(AUTH_HEADER, `$1 ${REDACTED}`);
  return out.replace(SECRET_ASSIGNMENT, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
}

/** Deep copy with every string redacted, and every value under a secret-looking key replaced. */
export function redactSecrets<T>(value: T, options: RedactOptions = {}): T {
  const walk = (v: unknown, key: string | null): unknown => {
    if (typeof v === 'string') return key !== null && SECRET_NAME.test(key) ? REDACTED : redactText(v, options);
    if (Array.isArray(v)) return v.map((item) => walk(item, null));
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, walk(item, k)]));
    }
    return v;
  };
  return walk(value, null) as T;
}
