import { describe, expect, it } from 'vitest';
import { checkInvariant, type HostState } from './host-invariant.ts';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const verified = (id: string, sha: string) => ({ id, time: 't', status: 'verified' as const, manifest: [{ path: 'dist/app.mjs', sha256: sha, mode: 0o644 }] });
const host = (o: Partial<HostState> = {}): HostState => ({
  records: [verified('r1', A)], pending: null, timerArmed: false, disk: new Map([['dist/app.mjs', A]]), running: new Map([['dist/app.mjs', A]]), objects: new Set([A, B]), ...o,
});

describe('the deploy invariant: exactly one of settled or in flight', () => {
  it('settled: current runs, is on disk and in the store', () => {
    expect(checkInvariant(host())).toEqual({ holds: true, state: 'settled', current: 'r1' });
  });

  it('in flight: a pending change whose backup gives back current, with the timer armed', () => {
    const s = host({ pending: { releaseId: 'r2', backup: [{ path: 'dist/app.mjs', existed: true, sha256: A }] }, timerArmed: true, disk: new Map([['dist/app.mjs', B]]), running: new Map([['dist/app.mjs', B]]) });
    expect(checkInvariant(s)).toEqual({ holds: true, state: 'in-flight', current: 'r1' });
  });

  it.each<[string, Partial<HostState>, RegExp]>([
    ['the record says r1, the disk holds other bytes (the issue: current v2, disk v1)', { disk: new Map([['dist/app.mjs', B]]) }, /dist\/app\.mjs on disk is bbbbbbbb, r1 has aaaaaaaa/],
    ['the service still runs the bytes before a restore', { running: new Map([['dist/app.mjs', B]]) }, /the service runs other bytes of dist\/app\.mjs than r1/],
    ['the service is down', { running: null }, /not running r1's bytes/],
    ['a failed restore disarmed the timer (the issue)', { pending: { releaseId: 'r2', backup: [{ path: 'dist/app.mjs', existed: true, sha256: A }] } }, /r2 is pending but the revert timer is not armed/],
    ['a backup of whatever was on disk, not of current', { pending: { releaseId: 'r2', backup: [{ path: 'dist/app.mjs', existed: true, sha256: B }] }, timerArmed: true }, /restores dist\/app\.mjs to bbbbbbbb, not r1's aaaaaaaa/],
    ["current's object is gone", { objects: new Set([B]) }, /r1's object of dist\/app\.mjs \(aaaaaaaa\) is not in the store/],
  ])('violated: %s', (_, o, problem) => {
    const v = checkInvariant(host(o));
    expect(v.holds).toBe(false);
    expect(v.holds ? [] : v.problems).toEqual(expect.arrayContaining([expect.stringMatching(problem)]));
  });

  it('a host with no verified release is settled while nothing is pending', () => {
    expect(checkInvariant(host({ records: [], running: null, disk: new Map() }))).toEqual({ holds: true, state: 'settled', current: undefined });
  });
});
