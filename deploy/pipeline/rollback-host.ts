import type { Clock } from '../../app/core/clock.ts';
import type { HostTarget } from '../config/host-target.ts';
import { manifestOf, selectRollbackTarget, currentRelease, type ReleaseRecord } from '../releases/release-record.ts';
import { transitionManifest } from '../releases/release-record.ts';
import { HOST_OPS, hostTool } from '../remote/host-tool.ts';
import { acquireLock, heartbeat, releaseLock, thisProcess } from '../remote/lock.ts';
import { revertRunSettled } from '../remote/revert-timer.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { stepRunner, type OnStep } from '../remote/step.ts';
import { EXIT, newHostRun, type HostRun } from './host-run.ts';
import { restoreAndProve } from './restore-and-prove.ts';

export interface RollbackHostOptions {
  /** A release id; default: the last verified release before the current one. */
  to?: string;
  reason: string;
  by: 'deploy' | 'rollback-command';
  breakStaleLock: boolean;
  clock: Clock;
  onStep?: OnStep;
}

export async function readRecords(shell: RemoteShell, appDir: string): Promise<{ ok: true; records: ReleaseRecord[] } | { ok: false; reason: string }> {
  const r = await hostTool(shell, HOST_OPS.records, appDir);
  return r.ok ? { ok: true, records: r.value.records } : r;
}

/**
 * Restores a verified release's full manifest (content from backups/objects), verifies, restarts and
 * proves it; records the release rolled away from as `rolled-back`, so a second rollback goes further back.
 */
export async function rollbackHost(shell: RemoteShell, t: HostTarget, o: RollbackHostOptions): Promise<HostRun & { target?: string }> {
  const run = newHostRun(t.name, t.address, t.appDir);
  const step = stepRunner(run, o.clock, o.onStep);
  const me = thisProcess(`rollback-${process.pid}-${o.clock.now()}`, 60_000);
  const lock = await step('lock', () => acquireLock(shell, t.appDir, me, o.breakStaleLock).then((r) => ({ ...r, evidence: r.owner })));
  const owner = lock.evidence;
  if (!lock.ok || !owner) return { ...run, exitCode: EXIT.locked, reason: lock.reason };
  run.lockHolder = `${owner.owner}@${owner.host} pid ${owner.pid}`;
  // Unlike a deploy, a rollback does not stop when its lease cannot be renewed: it is already restoring
  // a verified release, and stopping half-way would leave the host on neither.
  const beat = setInterval(() => void heartbeat(shell, t.appDir, owner), 3_000);
  try {
    const idle = await revertRunSettled(shell, t.service, o.clock);
    if (!idle.ok) return { ...run, exitCode: EXIT.locked, reason: idle.reason };
    const recs = await readRecords(shell, t.appDir);
    if (!recs.ok) return { ...run, exitCode: EXIT.usage, reason: recs.reason };
    const current = currentRelease(recs.records);
    let target = o.to;
    if (target === undefined) {
      const sel = selectRollbackTarget(recs.records);
      if (!sel.ok) return { ...run, exitCode: EXIT.usage, reason: `rollback: ${sel.reason}` };
      target = sel.target;
    }
    const manifest = manifestOf(recs.records, target);
    if (!manifest) return { ...run, exitCode: EXIT.usage, reason: `rollback: release ${target} is not a verified release on ${t.name}` };
    const currentManifest = current ? manifestOf(recs.records, current) : undefined;
    const restored = await restoreAndProve(shell, t, { source: { manifest: transitionManifest(currentManifest, manifest) }, clock: o.clock, step, run });
    if (!restored.ok) {
      await hostTool(shell, HOST_OPS.record, t.appDir, undefined, { id: target, time: new Date().toISOString(), status: 'failed', reason: `rollback proof: ${restored.reason}`, via: 'rollback' });
      run.rollback = { reason: o.reason, toRelease: target, by: o.by, hashesVerified: restored.hashesVerified };
      return { ...run, target, finalState: 'failed', exitCode: EXIT.unverified, reason: restored.reason };
    }
    if (current && current !== target) await hostTool(shell, HOST_OPS.record, t.appDir, undefined, { id: current, time: new Date().toISOString(), status: 'rolled-back', reason: o.reason, via: 'rollback' });
    await hostTool(shell, HOST_OPS.record, t.appDir, undefined, { id: target, time: new Date().toISOString(), status: 'verified', manifest, via: 'rollback' });
    run.rollback = { reason: o.reason, toRelease: target, by: o.by, hashesVerified: restored.hashesVerified };
    run.proofs = [];
    return { ...run, target, finalState: 'rolled-back', exitCode: EXIT.ok, reason: '' };
  } finally {
    clearInterval(beat);
    await releaseLock(shell, t.appDir, owner);
  }
}
