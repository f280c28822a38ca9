import type { PauseReason } from './rest-breaker.ts';
import type { RestPause } from './rest-gate.ts';

const iso = (ms: number | undefined) => (ms === undefined ? 'the probe' : new Date(ms).toISOString());

const PAUSE_WHAT: Record<PauseReason, string> = { ipBan: 'IP ban (HTTP 403)', rateLimit: 'API rate limit (retCode 10006)', http429: 'HTTP 429 Too Many Requests' };
const PAUSE_SHORT: Record<PauseReason, string> = { ipBan: 'IP ban', rateLimit: 'API rate limit', http429: 'HTTP 429' };

/** One line per pause transition, never one per waiting job. */
export function pauseLine(now: RestPause | undefined, before: RestPause | undefined): { level: 'warn' | 'info'; text: string } | undefined {
  if (now && !now.probing && (!before || before.reason !== now.reason)) {
    const what = PAUSE_WHAT[now.reason];
    return { level: 'warn', text: `REST paused: ${what}; every REST job waits until ${iso(now.until)}` };
  }
  if (now && !now.probing && before?.probing) return { level: 'warn', text: `REST still banned after probe ${now.strikes}; next probe at ${iso(now.until)}` };
  if (!now && before) return { level: 'info', text: `REST resumed after ${PAUSE_SHORT[before.reason]}` };
  return undefined;
}
