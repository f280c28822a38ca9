import { hostname } from 'node:os';
import type { Clock } from '../../app/core/clock.ts';
import type { HostTarget } from '../config/host-target.ts';
import { manifestOf, selectRollbackTarget, currentRelease, type ReleaseRecord } from '../releases/release-record.ts';
import { transitionManifest } from '../releases/release-record.ts';
import { hostTool } from '../remote/host-tool.ts';
import { acquireLock, heartbeat, releaseLock } from '../remote/lock.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { stepRunner, type OnStep } from '../remote/step.ts';
import { appendRecord } from './deploy-host.ts';
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
  const r = await hostTool<{ records: ReleaseRecord[] }>(shell, 'records', appDir);
  return r.ok ? { ok: true, records: r.value.records } : r;
}

/**
 * Restores a verified release's full manifest (content from backups/objects), verifies, restarts and
 * proves it; records the release rolled away from as `rolled-back`, so a second rollback goes further back.
 */
export async function rollbackHost(shell: RemoteShell, t: HostTarget, o: RollbackHostOptions): Promise<HostRun & { target?: string }> {
  const run = newHostRun(t.name, t.address, t.appDir);
  const step = stepRunner(run, o.clock, o.onStep);
  const me = { token: `rollback-${process.pid}-${o.clock.now()}`, owner: process.env.USER ?? 'rollback', host: hostname(), pid: process.pid, ttlMs: 60_000 };
  const lock = await step('lock', () => acquireLock(shell, t.appDir, me, o.breakStaleLock).then((r) => ({ ...r, evidence: r })));
  if (!lock.ok || !lock.evidence.owner) return { ...run, exitCode: EXIT.locked, reason: lock.reason };
  const owner = lock.evidence.owner;
  run.lockHolder = `${owner.owner}@${owner.host} pid ${owner.pid}`;
  // Unlike a deploy, a rollback does not stop when its lease cannot be renewed: it is already restoring
  // a verified release, and stopping half-way would leave the host on neither.
  const beat = setInterval(() => void heartbeat(shell, t.appDir, owner), 3_000);
  try {
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
    const restored = await restoreAndProve(shell, t, { manifest: transitionManifest(currentManifest, manifest), clock: o.clock, step });
    if (!restored.ok) {
      await appendRecord(shell, t.appDir, { id: target, time: new Date().toISOString(), status: 'failed', reason: `rollback proof: ${restored.reason}`, via: 'rollback' });
      run.rollback = { reason: o.reason, toRelease: target, by: o.by, hashesVerified: restored.hashesVerified };
      return { ...run, target, finalState: 'failed', exitCode: EXIT.unverified, reason: restored.reason };
    }
    if (current && current !== target) await appendRecord(shell, t.appDir, { id: current, time: new Date().toISOString(), status: 'rolled-back', reason: o.reason, via: 'rollback' });
    await appendRecord(shell, t.appDir, { id: target, time: new Date().toISOString(), status: 'verified', manifest, via: 'rollback' });
    run.rollback = { reason: o.reason, toRelease: target, by: o.by, hashesVerified: restored.hashesVerified };
    run.proof = undefined;
    return { ...run, target, finalState: 'rolled-back', exitCode: EXIT.ok, reason: '' };
  } finally {
    clearInterval(beat);
    await releaseLock(shell, t.appDir, owner);
  }
}
