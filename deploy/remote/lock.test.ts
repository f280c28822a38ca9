import { describe, expect, it } from 'vitest';
import { lockStateOf } from './lock.ts';

const owner = { token: 't', owner: 'ci', host: 'laptop', pid: 42, startedAt: 1_000, heartbeatAt: 5_000, ttlMs: 10_000 };

describe('lockStateOf', () => {
  it('is free without an owner file', () => {
    expect(lockStateOf(null, 0)).toEqual({ state: 'free' });
  });
  it('is live within the TTL of the last heartbeat', () => {
    expect(lockStateOf(JSON.stringify(owner), 15_000)).toEqual({ state: 'live', owner });
  });
  it('is stale past the TTL, with its age', () => {
    expect(lockStateOf(JSON.stringify(owner), 15_001)).toEqual({ state: 'stale', owner, ageMs: 10_001 });
  });
  it('treats a torn owner file as stale (a crash mid-write)', () => {
    expect(lockStateOf('{"tok', 0)).toMatchObject({ state: 'stale', owner: null });
  });
});
