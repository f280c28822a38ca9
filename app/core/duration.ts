const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** Parses `30s`, `10m`, `1.5h`, `250ms` or a bare number of seconds into milliseconds. */
export function parseDuration(text: string, field: string): { ok: true; ms: number } | { ok: false; reason: string } {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return { ok: false, reason: `${field}: "${text}" is not a duration (use e.g. 30s, 10m, 1h)` };
  const ms = Number(m[1]) * (UNIT_MS[m[2] ?? 's'] ?? 1_000);
  return { ok: true, ms: Math.round(ms) };
}
