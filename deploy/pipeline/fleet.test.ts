import { describe, expect, it } from 'vitest';
import { fleetBatches, runFleet } from './fleet.ts';
import { newHostRun, type HostRun } from './host-run.ts';

const run = (name: string, exitCode: number): HostRun => ({ ...newHostRun(name, name, '/srv'), exitCode, finalState: exitCode === 0 ? 'deployed' : 'rolled-back', reason: exitCode ? 'boom' : '' });

describe('fleet', () => {
  it('puts a canary first, then batches', () => {
    expect(fleetBatches(['a', 'b', 'c', 'd'], 2)).toEqual([['a'], ['b', 'c'], ['d']]);
  });
  it('stops at the first failure and rolls back hosts already deployed', async () => {
    const deployed: string[] = [];
    const rolled: string[] = [];
    const runs = await runFleet(['a', 'b', 'c'], 1, async (h) => (deployed.push(h), run(h, h === 'b' ? 1 : 0)), async (h) => (rolled.push(h), run(h, 0)));
    expect(deployed).toEqual(['a', 'b']);
    expect(rolled).toEqual(['a']);
    expect(runs.map((r) => [r.name, r.finalState, r.exitCode])).toEqual([['a', 'rolled-back', 1], ['b', 'rolled-back', 1]]);
  });
  it('without --rollback-fleet leaves the canary deployed and says so', async () => {
    const runs = await runFleet(['a', 'b'], 1, async (h) => run(h, h === 'b' ? 1 : 0), undefined);
    expect(runs.map((r) => r.finalState)).toEqual(['deployed', 'rolled-back']);
  });
});
