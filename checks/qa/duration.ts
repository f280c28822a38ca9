/** Parses a soak duration: "20s", "10m", "1h" or plain seconds ("90"). Failures name the input and the reason. */
export function parseDurationS(text: string): { ok: true; seconds: number } | { ok: false; reason: string } {
  const m = /^(\d+(?:\.\d+)?)(s|m|h)?$/.exec(text.trim());
  if (!m) return { ok: false, reason: `--soak: '${text}' is not a duration like 20s, 10m or 1h` };
  const seconds = Number(m[1]) * { s: 1, m: 60, h: 3600 }[(m[2] ?? 's') as 's' | 'm' | 'h'];
  if (seconds < 2) return { ok: false, reason: `--soak: '${text}' is shorter than 2s, too short to measure growth` };
  if (seconds > 6 * 3600) return { ok: false, reason: `--soak: '${text}' is longer than the 6h bound` };
  return { ok: true, seconds };
}
