import { hostname } from 'node:os';
import { posix } from 'node:path';
import type { Clock } from '../../app/core/clock.ts';
import { NEXT_CLEANUP_PATTERN } from '../config/defaults.ts';
import type { HostTarget } from '../config/host-target.ts';
import type { ManifestEntry, ReleaseRecord } from '../releases/release-record.ts';
import { hostTool } from '../remote/host-tool.ts';
import { acquireLock, heartbeat, releaseLock, type LockOwner } from '../remote/lock.ts';
import { watchMemory } from '../remote/memory-watch.ts';
import { restartAndProve } from '../remote/restart-proof.ts';
import { armRevert, deadlinePath, disarmRevert } from '../remote/revert-timer.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { sh } from '../remote/sh-quote.ts';
import { stepRunner, stopReason, type OnStep } from '../remote/step.ts';
import { uploadFiles, type UploadFile } from '../remote/upload.ts';
import { EXIT, newHostRun, type HostRun } from './host-run.ts';
import { preflight } from './preflight.ts';
import { restoreAndProve } from './restore-and-prove.ts';

export interface DeployHostOptions {
  releaseId: string;
  files: UploadFile[];
  lockSha256: string | undefined;
  dryRun: boolean;
  breakStaleLock: boolean;
  clock: Clock;
  /** Who holds the lock (user@machine), recorded on the host. */
  owner?: string;
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

export const appendRecord = (shell: RemoteShell, appDir: string, rec: ReleaseRecord) => hostTool(shell, 'record', appDir, undefined, rec);

/**
 * One host, steps 2–10 of the deploy. Every step is a value; after the backup exists, any failure (or an
 * abort) restores from the manifest, proves the restored service and records the failure.
 */
export async function deployHost(first: RemoteShell, t: HostTarget, o: DeployHostOptions): Promise<HostRun> {
  let shell = first;
  const run = newHostRun(t.name, t.address, t.appDir);
  const step = stepRunner(run, o.clock, o.onStep);
  const pre = await step('preflight', () => preflight(shell, { appDir: t.appDir, service: t.service, files: o.files, lockSha256: o.lockSha256 }));
  run.diff = pre.evidence?.diff ?? [];
  if (!pre.ok) {
    const locked = pre.evidence?.lock.state === 'live';
    if (locked && pre.evidence.lock.state === 'live') run.lockHolder = `${pre.evidence.lock.owner.owner}@${pre.evidence.lock.owner.host} pid ${pre.evidence.lock.owner.pid}`;
    return { ...run, exitCode: locked ? EXIT.locked : EXIT.usage, reason: pre.reason };
  }
  if (o.dryRun) return { ...run, reason: 'dry run: nothing changed' };

  const me = { token: `${o.releaseId}-${process.pid}`, owner: o.owner ?? `${process.env.USER ?? 'deploy'}`, host: hostname(), pid: process.pid, ttlMs: o.lockTtlMs ?? 60_000 };
  const lock = await step('lock', () => acquireLock(shell, t.appDir, me, o.breakStaleLock).then((r) => ({ ...r, evidence: r })));
  if (!lock.ok || !lock.evidence.owner) {
    const h = lock.evidence?.held;
    run.lockHolder = h && h.state !== 'free' && h.owner ? `${h.owner.owner}@${h.owner.host} pid ${h.owner.pid}` : null;
    return { ...run, exitCode: EXIT.locked, reason: lock.reason };
  }
  const owner: LockOwner = lock.evidence.owner;
  run.lockHolder = `${owner.owner}@${owner.host} pid ${owner.pid}`;
  const revertWindowMs = o.revertWindowMs ?? 20_000;
  let armed = false;
  // One signal for everything that must stop the deploy mid-wait: the user's interrupt or a lost lock.
  const stop = new AbortController();
  const onInterrupt = () => stop.abort(`interrupted (${String(o.signal?.reason ?? 'signal')})`);
  o.signal?.addEventListener('abort', onInterrupt, { once: true });
  if (o.signal?.aborted) onInterrupt();
  let beating = false;
  const beat = setInterval(() => {
    if (beating || stop.signal.aborted) return;
    beating = true;
    void heartbeat(shell, t.appDir, owner, armed ? { path: deadlinePath(t.appDir), windowMs: revertWindowMs } : undefined)
      .then((hb) => {
        if (!hb.ok) stop.abort(`lock lost: ${hb.reason}`);
      })
      .finally(() => (beating = false));
  }, o.heartbeatMs ?? 3_000);
  const aborted = () => (stop.signal.aborted ? stopReason(stop.signal) : undefined);
  /** A step's own failure names the cause best; otherwise a stop that came during it. */
  const failure = (r: { ok: boolean; reason: string }) => (r.ok ? aborted() : r.reason);
  try {
    if (aborted()) return { ...run, exitCode: EXIT.restored, reason: aborted()! };
    const changed = o.files.filter((f) => run.diff.find((d) => d.path === f.path)?.change !== 'unchanged');
    const backup = await step('backup', () =>
      hostTool<{ entries: unknown[] }>(shell, 'backup', t.appDir, o.releaseId, { files: changed.map((f) => f.path) }).then((r) =>
        r.ok ? { ok: true, reason: '', evidence: r.value } : { ok: false, reason: `backup: ${r.reason}`, evidence: undefined },
      ),
    );
    if (!backup.ok) {
      await shell.exec(`rm -rf -- '${t.appDir.replace(/'/g, `'\\''`)}/backups/${o.releaseId}'`);
      return { ...run, exitCode: EXIT.restored, finalState: 'unchanged', reason: backup.reason };
    }
    const failAndRestore = async (reason: string): Promise<HostRun> => {
      if (shell.isClosed() && o.reconnect) {
        const fresh = await o.reconnect();
        if (fresh) shell = fresh;
      }
      // Temps of a dropped upload are left behind by the dead link; remove them on the live one.
      await shell.exec(sh('rm', '-f', '--', ...changed.map((f) => `${posix.join(t.appDir, f.path)}.lp-upload-${me.token}`)), { timeoutMs: 15_000 });
      const restored = await restoreAndProve(shell, t, { releaseId: o.releaseId, clock: o.clock, step });
      await appendRecord(shell, t.appDir, { id: o.releaseId, time: new Date().toISOString(), status: 'failed', reason, via: 'deploy' });
      if (armed) await disarmRevert(shell, t.appDir, t.service);
      run.rollback = { reason, toRelease: restored.toRelease, by: 'deploy', hashesVerified: restored.hashesVerified };
      return restored.ok ? { ...run, finalState: 'rolled-back', exitCode: EXIT.restored, reason } : { ...run, finalState: 'failed', exitCode: EXIT.unverified, reason: `${reason}; restore: ${restored.reason}` };
    };

    const up = await step('upload', () => uploadFiles(shell, t.appDir, changed, me.token, o.uploadTimeoutMs ?? 60_000));
    if (failure(up)) return await failAndRestore(failure(up)!);
    const store = await step('store', () =>
      hostTool<{ entries: ManifestEntry[] }>(shell, 'store', t.appDir, undefined, { files: o.files.map((f) => f.path) }).then((r) =>
        r.ok ? { ok: true, reason: '', evidence: r.value.entries } : { ok: false, reason: r.reason, evidence: [] as ManifestEntry[] },
      ),
    );
    if (failure(store)) return await failAndRestore(failure(store)!);
    const arm = await step('arm-timer', () => armRevert(shell, t.appDir, t.service, o.releaseId, revertWindowMs).then((r) => ({ ...r, evidence: { windowMs: revertWindowMs } })));
    armed = arm.ok;
    if (failure(arm)) return await failAndRestore(failure(arm)!);
    const patterns = { startup: new RegExp(t.logPattern, 'u'), next: new RegExp(NEXT_CLEANUP_PATTERN, 'u') };
    const proof = await step('restart-proof', () => restartAndProve(shell, { service: t.service, patterns, proofTimeoutMs: t.proofTimeoutMs, graceMs: t.graceMs, clock: o.clock, signal: stop.signal }));
    run.proof = proof.evidence;
    if (failure(proof)) return await failAndRestore(failure(proof)!);
    if (t.watchMs > 0) {
      const interval = Number(/(\d+)s/.exec(proof.evidence.next?.message ?? '')?.[1]);
      const watch = await step('watch', () =>
        watchMemory(shell, {
          service: t.service,
          invocationId: proof.evidence.invocationId,
          watchMs: t.watchMs,
          warmupMs: t.warmupMs,
          budgetMbPerMin: t.memoryBudgetMbPerMin,
          cleanupIntervalS: Number.isFinite(interval) ? interval : undefined,
          clock: o.clock,
          signal: stop.signal,
        }),
      );
      run.memory = watch.evidence;
      if (failure(watch)) return await failAndRestore(failure(watch)!);
    }
    const rec = await step('record', () =>
      appendRecord(shell, t.appDir, { id: o.releaseId, time: new Date().toISOString(), status: 'verified', manifest: store.evidence, via: 'deploy' }).then((r) => ({ ok: r.ok, reason: r.ok ? '' : r.reason, evidence: undefined })),
    );
    if (!rec.ok) return await failAndRestore(rec.reason);
    await step('disarm-timer', () => disarmRevert(shell, t.appDir, t.service).then((r) => ({ ...r, evidence: undefined })));
    armed = false;
    await step('prune', () => hostTool(shell, 'prune', t.appDir, '5').then((r) => ({ ok: true, reason: r.ok ? '' : r.reason, evidence: r.ok ? r.value : undefined })));
    return { ...run, finalState: 'deployed', exitCode: EXIT.ok, reason: '' };
  } finally {
    clearInterval(beat);
    o.signal?.removeEventListener('abort', onInterrupt);
    await releaseLock(shell, t.appDir, owner);
  }
}
