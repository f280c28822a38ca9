import { posix } from 'node:path';
import type { Clock } from '../../app/core/clock.ts';
import type { HostTarget } from '../config/host-target.ts';
import { diffFiles, type ReleaseBuildInfo } from '../releases/release-record.ts';
import { HOST_OPS, hostTool } from '../remote/host-tool.ts';
import { acquireLock, goneOnThisMachine, heartbeat, releaseLock, thisProcess, type LockOwner, type TakeOver } from '../remote/lock.ts';
import { restartAndProve } from '../remote/restart-proof.ts';
import { armRevert, deadlinePath, disarmRevert, revertRunSettled } from '../remote/revert-timer.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { appUnits } from '../remote/unit-status.ts';
import { sh } from '../remote/sh-quote.ts';
import { failed, passed, stepRunner, stopReason, type OnStep, type StepRunner } from '../remote/step.ts';
import type { UploadFile } from '../remote/upload.ts';
import { handBackCommand } from '../setup/hand-back.ts';
import { EXIT, newHostRun, type HostRun } from './host-run.ts';
import { defineStep, runPipeline, type PipelineStep } from './pipeline.ts';
import { preflight } from './preflight.ts';
import { proofPatterns, RELEASE_TAIL, toolOutcome, type ReleaseCtx } from './release-steps.ts';
import { restoreAndProve } from './restore-and-prove.ts';
import { watchEnvPath } from '../watch/watch-interval.ts';

export interface DeployHostOptions {
  releaseId: string;
  files: UploadFile[];
  build: ReleaseBuildInfo;
  dryRun: boolean;
  breakStaleLock: boolean;
  clock: Clock;
  lockTtlMs?: number;
  heartbeatMs?: number;
  /** How far ahead of now each heartbeat pushes the host's revert deadline. */
  revertWindowMs?: number;
  uploadTimeoutMs?: number;
  /** A fresh connection for the restore when the link dropped mid-deploy. */
  reconnect?: () => Promise<RemoteShell | undefined>;
  /** Aborted by SIGINT/SIGTERM: cuts a running proof or watch short, stops at the next step and restores. */
  signal?: AbortSignal;
  onStep?: OnStep;
}

interface DeployCtx extends ReleaseCtx {
  o: DeployHostOptions;
  owner?: LockOwner;
  /** Why the lock was held: the holder that refused us. */
  holder?: string;
}

const who = (o: LockOwner) => `${o.owner}@${o.host} pid ${o.pid}`;

/** A holder is gone when it ran here and its pid is dead, or when the revert of its release already fired. */
export async function holderGone(shell: RemoteShell, appDir: string, owner: LockOwner): Promise<string | undefined> {
  const local = goneOnThisMachine(owner);
  if (local || !owner.releaseId) return local;
  const recs = await hostTool(shell, HOST_OPS.records, appDir);
  return recs.ok && recs.value.records.some((r) => r.id === owner.releaseId && r.status === 'reverted') ? `the revert of its release ${owner.releaseId} has fired` : undefined;
}

const lock = defineStep(
  'lock',
  async (c: DeployCtx) => {
    const me = thisProcess(`${c.releaseId}-${process.pid}`, c.o.lockTtlMs ?? 60_000, c.releaseId);
    const r = await acquireLock(c.shell, c.t.appDir, me, c.o.breakStaleLock, (owner) => holderGone(c.shell, c.t.appDir, owner));
    const held = r.held && r.held.state !== 'free' && r.held.owner ? who(r.held.owner) : undefined;
    const took = (t: TakeOver) => `took over the lock of ${t.owner ? who(t.owner) : 'an unreadable owner'}: ${t.why}`;
    return { ok: r.ok, reason: r.ok ? (r.tookOver ? took(r.tookOver) : '') : r.reason, evidence: { owner: r.owner, tookOver: r.tookOver, held } };
  },
  {
    keep: (c, e) => {
      c.owner = e.owner;
      c.holder = e.held;
    },
  },
);

/**
 * A dead run's pending release is settled before anything else: its backup restored and, when files
 * had gone live, the restored service proven. Only then is "before" the last verified release again.
 */
const heal = defineStep('heal', async (c: DeployCtx) => {
  const idle = await revertRunSettled(c.shell, c.t.service, c.clock);
  if (!idle.ok) return failed(`heal: ${idle.reason}`);
  const r = await hostTool(c.shell, HOST_OPS.heal, c.t.appDir);
  if (!r.ok || r.value.state !== 'reverted' || r.value.restored.length + r.value.removed.length === 0) return toolOutcome(r, (v) => ({ settled: v }), r.ok && r.value.state !== 'none' ? `settled ${r.value.state} release ${r.value.releaseId}` : '');
  const proof = await restartAndProve(c.shell, { units: appUnits(c.t), patterns: proofPatterns(c.t), proofTimeoutMs: Math.max(30_000, c.t.proofTimeoutMs), graceMs: Math.min(c.t.graceMs, 3_000), clock: c.clock });
  return { ok: proof.ok, reason: proof.ok ? `reverted the dead run's release ${r.value.releaseId} and proved the restored service` : `heal: ${proof.reason}`, evidence: { settled: r.value, proof: proof.evidence } };
});

/** Re-hashed under the lock: the preflight diff may predate a healed or concurrent change. */
const backup = defineStep('backup', async (c: DeployCtx) => {
  const hashes = await hostTool(c.shell, HOST_OPS.hash, c.t.appDir, undefined, { files: c.files.map((f) => f.path) });
  if (!hashes.ok) return failed(`backup: ${hashes.reason}`);
  c.run.diff = diffFiles(c.files, new Map(hashes.value.files.map((f) => [f.path, f.sha256 ?? null])));
  c.changed = c.files.filter((f) => c.run.diff.find((d) => d.path === f.path)?.change !== 'unchanged');
  return toolOutcome(await hostTool(c.shell, HOST_OPS.backup, c.t.appDir, c.releaseId, { files: c.changed.map((f) => f.path) }), (v) => v.entries.length);
});

/** Before any file goes live: from here on, a death of this process is healed by the host's timer. */
const arm = defineStep(
  'arm-timer',
  async (c: DeployCtx) => {
    const windowMs = c.o.revertWindowMs ?? 20_000;
    const r = await armRevert(c.shell, c.t.appDir, c.t.service, c.releaseId, windowMs);
    return r.ok ? passed({ windowMs }) : failed(r.reason);
  },
  { keep: (c) => (c.armed = true) },
);

const CHANGE: readonly PipelineStep<DeployCtx>[] = [arm, ...RELEASE_TAIL];

/** Any failure after the backup: restore from the manifest, prove it, record the failure, disarm. */
async function failAndRestore(c: DeployCtx, step: StepRunner, reason: string): Promise<HostRun> {
  if (c.shell.isClosed() && c.o.reconnect) {
    const fresh = await c.o.reconnect();
    if (fresh) c.shell = fresh;
  }
  // Temps of a dropped upload are left behind by the dead link; remove them on the live one.
  // So is a watch's short cleanup interval: the restored release runs its configured one.
  await c.shell.exec(sh('rm', '-f', '--', watchEnvPath(c.t.appDir), ...c.changed.map((f) => `${posix.join(c.t.appDir, f.path)}.lp-upload-${c.token}`)), { timeoutMs: 15_000 });
  const restored = await restoreAndProve(c.shell, c.t, { source: { releaseId: c.releaseId }, clock: c.clock, step, run: c.run });
  await hostTool(c.shell, HOST_OPS.record, c.t.appDir, undefined, { id: c.releaseId, time: new Date().toISOString(), status: 'failed', reason, via: 'deploy' });
  // Also when arming failed half-way: the marker may be written with no timer started.
  await disarmRevert(c.shell, c.t.appDir, c.t.service);
  c.run.rollback = { reason, toRelease: restored.toRelease, by: 'deploy', hashesVerified: restored.hashesVerified };
  return restored.ok ? { ...c.run, finalState: 'rolled-back', exitCode: EXIT.restored, reason } : { ...c.run, finalState: 'failed', exitCode: EXIT.unverified, reason: `${reason}; restore: ${restored.reason}` };
}

/**
 * One host: preflight, then under the lock (taking over a dead holder's, healing its pending release):
 * back up, arm the host's revert timer, and only then ship, prove, watch and confirm. After the backup,
 * any failure (or an abort) restores from the manifest, proves the restored service and records it.
 */
export async function deployHost(first: RemoteShell, t: HostTarget, o: DeployHostOptions): Promise<HostRun> {
  const run = newHostRun(t.name, t.address, t.appDir);
  const step = stepRunner(run, o.clock, o.onStep);
  const pre = await step('preflight', () => preflight(first, { appDir: t.appDir, service: t.service, shards: t.shards, files: o.files, holderGone: (owner) => holderGone(first, t.appDir, owner) }));
  run.diff = pre.evidence?.diff ?? [];
  if (!pre.ok) {
    const lockState = pre.evidence?.lock;
    if (lockState?.state === 'live') run.lockHolder = who(lockState.owner);
    return { ...run, exitCode: lockState?.state === 'live' ? EXIT.locked : EXIT.usage, reason: pre.reason };
  }
  if (o.dryRun) return { ...run, reason: 'dry run: nothing changed' };

  // One signal for everything that must stop the deploy mid-wait: the user's interrupt or a lost lock.
  const stop = new AbortController();
  const c: DeployCtx = {
    shell: first, t, run, clock: o.clock, signal: stop.signal, o, releaseId: o.releaseId, via: 'deploy', files: o.files, build: o.build, changed: [],
    token: `${o.releaseId}-${process.pid}`, uploadTimeoutMs: o.uploadTimeoutMs ?? 60_000, manifest: [], armed: false,
  };
  const stopped = () => (stop.signal.aborted ? stopReason(stop.signal) : undefined);
  const locked = await runPipeline([lock], c, step);
  if (!c.owner) {
    run.lockHolder = c.holder ?? null;
    return { ...run, exitCode: EXIT.locked, reason: locked.ok ? 'lock: not acquired' : locked.reason };
  }
  const owner = c.owner;
  run.lockHolder = who(owner);
  const onInterrupt = () => stop.abort(`interrupted (${String(o.signal?.reason ?? 'signal')})`);
  o.signal?.addEventListener('abort', onInterrupt, { once: true });
  if (o.signal?.aborted) onInterrupt();
  let beating = false;
  const beat = setInterval(() => {
    if (beating || stop.signal.aborted) return;
    beating = true;
    void heartbeat(c.shell, t.appDir, owner, c.armed ? { path: deadlinePath(t.appDir), windowMs: o.revertWindowMs ?? 20_000 } : undefined)
      .then((hb) => {
        if (!hb.ok) stop.abort(`lock lost: ${hb.reason}`);
      })
      .finally(() => (beating = false));
  }, o.heartbeatMs ?? 3_000);
  try {
    const healed = await runPipeline([heal], c, step);
    if (!healed.ok) return { ...run, finalState: 'failed', exitCode: EXIT.unverified, reason: healed.reason };
    if (stopped()) return { ...run, exitCode: EXIT.restored, reason: stopped() ?? '' };
    const saved = await runPipeline([backup], c, step);
    if (!saved.ok) {
      await c.shell.exec(sh('rm', '-rf', '--', posix.join(t.appDir, 'backups', o.releaseId)));
      return { ...run, exitCode: EXIT.restored, finalState: 'unchanged', reason: saved.reason };
    }
    const end = await runPipeline(CHANGE, c, step, stopped);
    if (!end.ok) return await failAndRestore(c, step, end.reason);
    return { ...run, finalState: 'deployed', exitCode: EXIT.ok, reason: '' };
  } finally {
    clearInterval(beat);
    o.signal?.removeEventListener('abort', onInterrupt);
    await releaseLock(c.shell, t.appDir, owner);
    await c.shell.exec(handBackCommand(t.appDir), { timeoutMs: 60_000 });
  }
}
