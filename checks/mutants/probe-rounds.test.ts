import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../probes/probe-types.ts';
import type { ChildOutcome } from './probe-in-child.ts';
import { judgeByProbes, type ProbeChild, type ProbeJob } from './probe-rounds.ts';

const ROOT = '/tree';
const probe = (id: string, ok: boolean): ProbeResult => ({ id, ok, reason: ok ? 'ok' : 'failed', evidence: {}, durationMs: 1 });

/**
 * A load spike cannot be made on cue, so the child is scripted: each round answers for the roots it was
 * given, from `rounds[n]` (root -> which of its probes pass; a root left out ran out of budget).
 */
function scripted(rounds: Array<Record<string, Record<string, boolean>>>) {
  const calls: Array<Array<{ root: string; only: readonly string[] }>> = [];
  const child: ProbeChild = async (jobs) => {
    const answers = rounds[calls.length] ?? {};
    calls.push([...jobs]);
    const out: ChildOutcome = new Map();
    for (const j of jobs) {
      const passes = answers[j.root];
      if (passes) out.set(j.root, j.only.map((id) => probe(id, passes[id] ?? true)));
    }
    return out;
  };
  return { child, calls };
}

const jobs: ProbeJob[] = [
  { dir: '/m1', only: ['service'] },
  { dir: '/m2', only: ['churn'] },
];

describe('judgeByProbes', () => {
  it('gives a mutant left blind by a failing unmutated tree a second round of only that probe, and kills it there', async () => {
    const { child, calls } = scripted([
      { [ROOT]: { service: false, churn: true }, '/m1': { service: false }, '/m2': { churn: false } },
      { [ROOT]: { service: true }, '/m1': { service: false } },
    ]);
    const judged = await judgeByProbes(jobs, { root: ROOT, probeChild: child });
    expect(judged.map((j) => [j.job.dir, j.verdict.status, j.verdict.killedBy])).toEqual([
      ['/m1', 'killed', ['service']],
      ['/m2', 'killed', ['churn']],
    ]);
    expect(calls[1]).toEqual([
      { root: ROOT, only: ['service'] },
      { root: '/m1', only: ['service'] },
    ]);
  });

  it('makes a survivor of a probe blind in both rounds, and says why', async () => {
    const blind = { [ROOT]: { service: false }, '/m1': { service: false } };
    const { child, calls } = scripted([blind, blind]);
    const [judged] = await judgeByProbes(jobs.slice(0, 1), { root: ROOT, probeChild: child });
    expect(calls).toHaveLength(2);
    expect(judged?.verdict).toEqual({ status: 'survived', killedBy: [], reason: 'service failed on the unmutated tree too in both rounds, so could not tell' });
  });

  it('does not retry a mutant whose probe passed: it survived', async () => {
    const { child, calls } = scripted([{ [ROOT]: { service: false }, '/m1': { service: true } }]);
    const [judged] = await judgeByProbes(jobs.slice(0, 1), { root: ROOT, probeChild: child });
    expect(calls).toHaveLength(1);
    expect(judged?.verdict).toEqual({ status: 'survived', killedBy: [] });
  });

  it('counts no kill when the unmutated tree has no result at all, and retries', async () => {
    const { child, calls } = scripted([{ '/m1': { service: false } }, { [ROOT]: { service: true }, '/m1': { service: false } }]);
    const [judged] = await judgeByProbes(jobs.slice(0, 1), { root: ROOT, probeChild: child });
    expect(calls).toHaveLength(2);
    expect(judged?.verdict.status).toBe('killed');
  });

  it('reports a mutant with no result as a timeout, without a second round', async () => {
    const { child, calls } = scripted([{ [ROOT]: { service: true } }]);
    const [judged] = await judgeByProbes(jobs.slice(0, 1), { root: ROOT, probeChild: child });
    expect(calls).toHaveLength(1);
    expect(judged?.verdict.status).toBe('timeout');
  });
});
