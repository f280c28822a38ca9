/**
 * The global REST pause as a pure state machine. An IP ban pauses every call for `banMs`; then one
 * call goes out as a probe. A 403 to the probe pauses again for `probeMs * 2^strikes` (at most
 * `maxProbeMs`); any other answer lifts the ban. An API limit pauses until its reset timestamp, at
 * most `maxResetWaitMs` (or `resetFallbackMs` without one), and lifts by itself.
 */
export interface PausePolicy {
  banMs: number;
  probeMs: number;
  maxProbeMs: number;
  maxResetWaitMs: number;
  resetFallbackMs: number;
}

/** ipBan: HTTP 403. rateLimit: Bybit's retCode 10006/10018. http429: an HTTP 429 from the edge, which is not Bybit's API limit. */
export type PauseReason = 'ipBan' | 'rateLimit' | 'http429';

export type BreakerState =
  | { mode: 'closed' }
  | { mode: 'paused'; reason: PauseReason; since: number; until: number; strikes: number }
  | { mode: 'probing'; reason: 'ipBan'; since: number; strikes: number };

export const CLOSED: BreakerState = { mode: 'closed' };

/** Go (maybe as the probe), sleep `ms` and ask again, or wait until the probe's outcome. */
export type Admission = { kind: 'go'; probe: boolean; next: BreakerState } | { kind: 'sleep'; ms: number } | { kind: 'awaitProbe' };

export function admit(s: BreakerState, now: number): Admission {
  if (s.mode === 'closed') return { kind: 'go', probe: false, next: s };
  if (s.mode === 'probing') return { kind: 'awaitProbe' };
  if (now < s.until) return { kind: 'sleep', ms: s.until - now };
  if (s.reason !== 'ipBan') return { kind: 'go', probe: false, next: CLOSED };
  return { kind: 'go', probe: true, next: { mode: 'probing', reason: 'ipBan', since: s.since, strikes: s.strikes } };
}

const probeWait = (p: PausePolicy, strikes: number) => Math.min(p.maxProbeMs, p.probeMs * 2 ** Math.min(strikes, 30));

/** A 403 arrived. Echoes of the ban from calls already in flight change nothing. */
export function onBan(s: BreakerState, now: number, p: PausePolicy, fromProbe: boolean): BreakerState {
  if (s.mode === 'probing') return fromProbe ? { mode: 'paused', reason: 'ipBan', since: s.since, until: now + probeWait(p, s.strikes), strikes: s.strikes + 1 } : s;
  if (s.mode === 'paused' && s.reason === 'ipBan') return s;
  return { mode: 'paused', reason: 'ipBan', since: now, until: now + p.banMs, strikes: 0 };
}

/** A 10006 or a 429: pause until the reset (bounded); never shortens a pause, never overrides a ban. */
export function onRateLimit(s: BreakerState, now: number, p: PausePolicy, resetAt: number | undefined, reason: Exclude<PauseReason, 'ipBan'> = 'rateLimit'): BreakerState {
  if (s.mode !== 'closed' && s.reason === 'ipBan') return s;
  const until = Math.min(now + p.maxResetWaitMs, Math.max(now, resetAt ?? now + p.resetFallbackMs));
  if (s.mode === 'paused') return until > s.until ? { ...s, until } : s;
  return { mode: 'paused', reason, since: now, until, strikes: 0 };
}

/** Any answer other than a 403 ends a ban when it came from the probe. */
export function onAnswer(s: BreakerState, fromProbe: boolean): BreakerState {
  return s.mode === 'probing' && fromProbe ? CLOSED : s;
}
