import { describe, expect, it } from 'vitest';
import { admit, CLOSED, onAnswer, onBan, onRateLimit, type BreakerState, type PausePolicy } from './rest-breaker.ts';

const P: PausePolicy = { banMs: 600_000, probeMs: 30_000, maxProbeMs: 120_000, maxResetWaitMs: 60_000, resetFallbackMs: 1_000 };
const T = 1_000_000;

function go(s: BreakerState, now: number) {
  const a = admit(s, now);
  if (a.kind !== 'go') throw new Error(`expected go, got ${a.kind}`);
  return a;
}

describe('the REST breaker', () => {
  it('lets calls through while closed', () => {
    expect(admit(CLOSED, T)).toEqual({ kind: 'go', probe: false, next: CLOSED });
  });

  it('a 403 pauses everything for banMs, then admits exactly one probe', () => {
    const banned = onBan(CLOSED, T, P, false);
    expect(banned).toEqual({ mode: 'paused', reason: 'ipBan', since: T, until: T + 600_000, strikes: 0 });
    expect(admit(banned, T + 599_999)).toEqual({ kind: 'sleep', ms: 1 });
    const probe = go(banned, T + 600_000);
    expect(probe.probe).toBe(true);
    expect(admit(probe.next, T + 600_001)).toEqual({ kind: 'awaitProbe' });
    expect(onAnswer(probe.next, true)).toBe(CLOSED);
    // Another call's answer does not end the ban; only the probe's does.
    expect(onAnswer(probe.next, false)).toBe(probe.next);
  });

  it('ignores 403 echoes from calls already in flight', () => {
    const banned = onBan(CLOSED, T, P, false);
    expect(onBan(banned, T + 5, P, false)).toBe(banned);
    const probing = go(banned, T + 600_000).next;
    expect(onBan(probing, T + 600_001, P, false)).toBe(probing);
  });

  it('failed probes back off exponentially up to maxProbeMs', () => {
    let s = onBan(CLOSED, T, P, false);
    let now = T;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      now = s.mode === 'paused' ? s.until : now;
      s = onBan(go(s, now).next, now, P, true);
      if (s.mode !== 'paused') throw new Error('expected paused');
      waits.push(s.until - now);
    }
    expect(waits).toEqual([30_000, 60_000, 120_000, 120_000, 120_000]);
    expect(s).toMatchObject({ since: T, strikes: 5 });
  });

  it('10006 pauses until the reset timestamp, bounded, and lifts by itself', () => {
    const limited = onRateLimit(CLOSED, T, P, T + 2_500);
    expect(limited).toMatchObject({ mode: 'paused', reason: 'rateLimit', until: T + 2_500 });
    expect(onRateLimit(CLOSED, T, P, T + 3_600_000)).toMatchObject({ until: T + 60_000 });
    expect(onRateLimit(CLOSED, T, P, undefined)).toMatchObject({ until: T + 1_000 });
    // A reset in the past (clock skew) does not pause at all beyond now.
    expect(onRateLimit(CLOSED, T, P, T - 5_000)).toMatchObject({ until: T });
    // Never shortened by a later, earlier reset.
    expect(onRateLimit(limited, T + 10, P, T + 100)).toBe(limited);
    expect(go(limited, T + 2_500)).toEqual({ kind: 'go', probe: false, next: CLOSED });
  });

  it('a ban overrides an API-limit pause, and an API limit never shortens a ban', () => {
    const limited = onRateLimit(CLOSED, T, P, T + 2_500);
    const banned = onBan(limited, T + 1, P, false);
    expect(banned).toMatchObject({ reason: 'ipBan', until: T + 1 + 600_000 });
    expect(onRateLimit(banned, T + 2, P, T + 10)).toBe(banned);
  });
});
