import { describe, expect, it } from 'vitest';
import { currentRelease } from '../releases/release-record.ts';
import { runHistory, type HistoryEvent } from '../testing/fault-history.ts';

// The sequences, replayed against the in-process scripted host on virtual time with the real
// deploy, rollback and setup code and the real host tool; fault-histories-random.test.ts plays hundreds more.
// The release's restart itself (preflight's `sudo -n -l` names the same command).
const RESTART = 'then /usr/bin/systemctl restart';

const current = async (events: HistoryEvent[]) => {
  const r = await runHistory(events);
  return { ...r, current: currentRelease(r.host.state().records), disk: r.host.state().disk };
};

describe('fixed fault histories keep the host on its record', () => {
  it('fixed: a rollback right after a deploy killed 3 s into its proof reverts that deploy first, then rolls back one release', async () => {
    const r = await current([{ cmd: 'deploy', proves: true }, { cmd: 'deploy', proves: false, fault: { kind: 'kill', at: 0, on: RESTART, afterMs: 3_000 } }, { cmd: 'rollback' }, { cmd: 'wait', ms: 30_000 }]);
    expect(r.violations).toEqual([]);
    expect(r.runs[1]).toBe('killed');
    const rollback = r.runs[2];
    expect(rollback !== 'killed' && rollback !== 'unreachable' && rollback?.exitCode).toBe(0);
    expect(r.log[3]).toMatch(/rollback: exit 0 rolled-back/);
    // r1 (setup) ← r2 (deploy) ← r3 (killed): the rollback goes from r2, which ran, to r1; r3 is reverted.
    expect(r.current).toBe('r1');
    const statuses = r.host.state().records.map((x) => `${x.id}:${x.status}`);
    expect(statuses).toEqual(expect.arrayContaining(['r3:reverted', 'r2:rolled-back']));
    expect(statuses.at(-1)).toBe('r1:verified');
  });

  it('fixed: disk full during the proof — the restore fails with ENOSPC, exits 4 naming what is left, the timer stays armed and heals once space is freed', async () => {
    const r = await current([{ cmd: 'deploy', proves: true }, { cmd: 'deploy', proves: false, fault: { kind: 'disk-full', at: 0, on: RESTART } }, { cmd: 'wait', ms: 30_000 }]);
    expect(r.violations).toEqual([]);
    const failed = r.runs[1];
    if (failed === 'killed' || failed === 'unreachable' || failed === undefined) throw new Error(`deploy did not run: ${String(failed)}`);
    expect(failed.exitCode).toBe(4);
    expect(failed.reason).toMatch(/restore: no space left on device on sim at step restore: .*ENOSPC/);
    expect(failed.reason).toMatch(/left to heal: r3 stays pending and the armed revert timer restores r2/);
    expect(r.current).toBe('r2');
    expect(r.host.state().pending).toBeNull();
  });

  it('a 15 s partition right after the restart is reconnected with backoff and the proof judged after it: the good release deploys', async () => {
    const r = await current([{ cmd: 'deploy', proves: true, fault: { kind: 'partition', at: 0, on: RESTART, afterMs: 150, ms: 15_000 } }]);
    expect(r.violations).toEqual([]);
    const run = r.runs[0];
    if (typeof run !== 'object') throw new Error(String(run));
    expect(run).toMatchObject({ exitCode: 0, finalState: 'deployed' });
    expect(run.proofs[0]?.reconnects).toBeGreaterThanOrEqual(1);
    expect(r.current).toBe('r2');
  });

  it("journald dropping the unit's lines is named from its own suppression message, not as 'logged nothing'", async () => {
    const r = await current([{ cmd: 'deploy', proves: true, fault: { kind: 'journald', at: 0, on: RESTART } }]);
    expect(r.violations).toEqual([]);
    const run = r.runs[0];
    if (typeof run !== 'object') throw new Error(String(run));
    expect(run.reason).toMatch(/^proof timeout: 20000 ms without the startup cleanup line; journald suppressed 1234 lines of the unit \(RateLimitBurst\)/);
  });

  it('a full disk at upload says so, with the host and the step, instead of "Failure (code 4)"', async () => {
    const r = await current([{ cmd: 'deploy', proves: true, fault: { kind: 'disk-full', at: 0, on: 'put /srv/leakproof/dist' } }]);
    expect(r.violations).toEqual([]);
    const run = r.runs[0];
    if (typeof run !== 'object') throw new Error(String(run));
    expect(run).toMatchObject({ exitCode: 1, finalState: 'rolled-back' });
    expect(run.reason).toMatch(/^no space left on device on sim at step upload \(0 KB free\): upload \S+: Failure \(code 4\)$/);
  });

  it('fixed: the host clock jumps 60 s ahead right after arming — the timer reverts, and the deploy does not put its files live after it', async () => {
    const r = await current([{ cmd: 'deploy', proves: true, fault: { kind: 'skew', at: 0, on: 'leakproof-host.mjs arm', afterMs: 200, ms: 60_000 } }]);
    expect(r.violations).toEqual([]);
    expect(r.log[1]).toMatch(/exit 1 rolled-back .*r2 is not pending any more \(the host's revert fired\)/);
    expect(r.current).toBe('r1');
  });

});
