import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { goneOnThisMachine, lockStateOf, pidStartOf, type LockOwner } from './lock.ts';

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

describe('goneOnThisMachine', () => {
  const me = readFileSync(`/proc/${process.pid}/stat`, 'utf8');
  const held = (o: Partial<LockOwner>): LockOwner => ({ ...owner, host: 'here', pid: process.pid, pidStart: pidStartOf(me), ...o });
  it('a holder running here is not gone', () => {
    expect(goneOnThisMachine(held({}), 'here')).toBeUndefined();
  });
  it('a dead pid here is gone, naming the pid', () => {
    expect(goneOnThisMachine(held({ pid: 4242 }), 'here', () => {
      throw new Error('ENOENT');
    })).toBe('pid 4242 is not running on here');
  });
  it('a reused pid (other start time) is gone', () => {
    expect(goneOnThisMachine(held({ pidStart: pidStartOf(me) + 1 }), 'here')).toMatch(/is another process now/);
  });
  it('a holder on another machine is never judged by this one', () => {
    expect(goneOnThisMachine(held({ host: 'elsewhere', pid: 4242 }), 'here', () => '')).toBeUndefined();
  });
  it('reads the start time past a command name holding spaces and parens', () => {
    expect(pidStartOf('77 (a b) c) S 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 123456 1000 10')).toBe(123456);
  });
});
