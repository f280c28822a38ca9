import { parseDuration } from '../../app/core/duration.ts';

/**
 * Parses the soak's workload, in simulated time ("6h", "90m", "1d" is refused), with the one duration
 * parser (app/core, which checks/ and deploy/ both build on), then bounds it.
 */
export function parseSimHours(text: string): { ok: true; simHours: number } | { ok: false; reason: string } {
  const parsed = parseDuration(text, '--soak');
  if (!parsed.ok) return parsed;
  const simHours = parsed.ms / 3_600_000;
  if (simHours < 0.5) return { ok: false, reason: `--soak: '${text}' is shorter than 30m of simulated time, too short to fit a slope` };
  if (simHours > 48) return { ok: false, reason: `--soak: '${text}' is longer than the 48h bound` };
  return { ok: true, simHours };
}
