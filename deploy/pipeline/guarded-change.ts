import { posix } from 'node:path';
import { HOST_OPS, hostTool } from '../remote/host-tool.ts';
import { acquireLock, goneOnThisMachine, heartbeat, releaseLock, thisProcess, type LockOwner, type NewOwner, type TakeOver } from '../remote/lock.ts';
import { armRevert, deadlinePath, disarmRevert } from '../remote/revert-timer.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { sh } from '../remote/sh-quote.ts';
import { failed, passed, stopReason, type OnStep, type StepRunner } from '../remote/step.ts';
import { handBackCommand } from '../setup/hand-back.ts';
import { whereDiskFull } from './disk-full.ts';
import { EXIT, type HostRun } from './host-run.ts';
import { defineStep, runPipeline, type PipelineStep } from './pipeline.ts';
import { reconcile } from './reconcile.ts';
import { adoptReconnect, toolOutcome, type ReleaseCtx } from './release-steps.ts';
import { restoreAndProve } from './restore-and-prove.ts';

/** Who takes a lock, and how a holder is judged gone: this process on this machine, unless a test says otherwise. */
export interface LockIdentity {
  me: (token: string, ttlMs: number, releaseId?: string) => NewOwner;
  gone: (owner: LockOwner) => string | undefined;
}
const THIS_MACHINE: LockIdentity = { me: thisProcess, gone: (owner) => goneOnThisMachine(owner) };

export interface GuardOptions {
  breakStaleLock: boolean;
  lockTtlMs?: number;
  heartbeatMs?: number;
  /** How far ahead of now each heartbeat pushes the host's revert deadline. */
  revertWindowMs?: number;
  /** A fresh connection when the link dropped mid-change. */
  reconnect?: () => Promise<RemoteShell | undefined>;
  /** Aborted by SIGINT/SIGTERM: cuts a running proof or watch short, stops at the next step and restores. */
  signal?: AbortSignal;
  onStep?: OnStep;
  identity?: LockIdentity;
  /** Names this run's lock and upload temps; default `<release>-<pid>`. */
  runToken?: string;
}

/** A deploy, setup or rollback: one change of the release on one host, made under the lock and the timer. */
export interface GuardedCtx extends ReleaseCtx {
  o: GuardOptions;
  /** Every path the change may touch: the backup covers exactly these. Set by the change's own prepare steps. */
  touches: string[];
  owner?: LockOwner;
  /** Why the lock was held: the holder that refused us. */
  holder?: string;
}

export const who = (o: LockOwner) => `${o.owner}@${o.host} pid ${o.pid}`;

/** A holder is gone when `gone` says its process is, or when the revert of its release already fired. */
export async function holderGone(shell: RemoteShell, appDir: string, owner: LockOwner, identity: LockIdentity = THIS_MACHINE): Promise<string | undefined> {
  const local = identity.gone(owner);
  if (local || !owner.releaseId) return local;
  const recs = await hostTool(shell, HOST_OPS.records, appDir);
  return recs.ok && recs.value.records.some((r) => r.id === owner.releaseId && r.status === 'reverted') ? `the revert of its release ${owner.releaseId} has fired` : undefined;
}

const lock = defineStep(
  'lock',
  async (c: GuardedCtx) => {
    const identity = c.o.identity ?? THIS_MACHINE;
    const me = identity.me(c.token, c.o.lockTtlMs ?? 60_000, c.releaseId);
    const r = await acquireLock(c.shell, c.t.appDir, me, c.o.breakStaleLock, (owner) => holderGone(c.shell, c.t.appDir, owner, identity));
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

const reconcileStep = defineStep('reconcile', (c: GuardedCtx) => reconcile(c));

/** The last verified release's objects for every path the change touches (the host tool reads the record). */
const backup = defineStep('backup', async (c: GuardedCtx) => toolOutcome(await hostTool(c.shell, HOST_OPS.backup, c.t.appDir, c.releaseId, { files: c.touches }), (v) => v.entries.length));

/** Before anything changes: from here on, a death of this process is healed by the host's timer. */
const arm = defineStep(
  'arm-timer',
  async (c: GuardedCtx) => {
    const windowMs = c.o.revertWindowMs ?? 20_000;
    const r = await armRevert(c.shell, c.t.appDir, c.t.service, c.releaseId, windowMs);
    return r.ok ? passed({ windowMs }) : failed(r.reason);
  },
  { keep: (c) => (c.armed = true) },
);

/**
 * Any failure after the timer is armed: restore the backup, prove it, record the failure. Only a proven
 * restore disarms the timer; a failed one leaves it armed (it retries every tick until it can restore)
 * and the run exits 4 naming what is left to heal.
 */
async function failAndRestore(c: GuardedCtx, step: StepRunner, at: string, cause: string): Promise<HostRun> {
  if (c.shell.isClosed()) await c.reconnect?.();
  const reason = await whereDiskFull(c.shell, c.t, at, cause);
  // Temps of a dropped upload are left behind by the dead link; remove them on the live one.
  if (c.changed.length > 0) await c.shell.exec(sh('rm', '-f', '--', ...c.changed.map((f) => `${posix.join(c.t.appDir, f.path)}.lp-upload-${c.token}`)), { timeoutMs: 15_000 });
  const restored = await restoreAndProve(c.shell, c.t, { source: { releaseId: c.releaseId }, clock: c.clock, step, run: c.run, reconnect: c.reconnect });
  await hostTool(c.shell, HOST_OPS.record, c.t.appDir, undefined, { id: c.releaseId, time: new Date().toISOString(), status: 'failed', reason, via: c.via });
  c.run.rollback = { reason, toRelease: restored.toRelease, by: c.via === 'rollback' ? 'rollback-command' : 'deploy', hashesVerified: restored.hashesVerified };
  if (!restored.ok) {
    const restoreWhy = await whereDiskFull(c.shell, c.t, 'restore', restored.reason);
    const left = `left to heal: ${c.releaseId} stays pending and the armed revert timer restores ${restored.toRelease ?? 'the files before it'} when it can`;
    return { ...c.run, finalState: 'failed', exitCode: EXIT.unverified, reason: `${reason}; restore: ${restoreWhy}; ${left}` };
  }
  await disarmRevert(c.shell, c.t.appDir, c.t.service);
  return { ...c.run, finalState: 'rolled-back', exitCode: EXIT.restored, reason };
}

/** Renews the lease (and pushes the revert deadline) on the injected clock; a lost lock stops the change. */
function keepLease(c: GuardedCtx, owner: LockOwner, stop: AbortController): () => void {
  const done = new AbortController();
  void (async () => {
    for (;;) {
      const slept = await c.clock.sleep(c.o.heartbeatMs ?? 3_000, done.signal).then(() => true, () => false);
      if (!slept || stop.signal.aborted) return;
      const hb = await heartbeat(c.shell, c.t.appDir, owner, c.armed ? { path: deadlinePath(c.t.appDir), windowMs: c.o.revertWindowMs ?? 20_000 } : undefined);
      // A dropped link is not a lost lock: the change goes on (and reconnects to restore if it must).
      if (!hb.ok && !done.signal.aborted && !c.shell.isClosed()) stop.abort(`lock lost: ${hb.reason}`);
    }
  })();
  return () => done.abort();
}

/**
 * Runs one change under the lock (taking over a dead holder's): reconcile the host with its record,
 * `prepare` (what the change touches), back up the last verified release's objects for those paths, arm
 * the host's revert timer, and only then `change`. A failure after arming restores and proves.
 */
export async function guardedChange<C extends GuardedCtx>(c: C, step: StepRunner, prepare: readonly PipelineStep<C>[], change: readonly PipelineStep<C>[], refusedExit: number): Promise<HostRun> {
  const { run, o, t } = c;
  const stop = new AbortController();
  c.signal = stop.signal;
  adoptReconnect(c, o.reconnect);
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
  const endLease = keepLease(c, owner, stop);
  try {
    const healed = await runPipeline([reconcileStep], c, step);
    if (!healed.ok) return { ...run, finalState: 'failed', exitCode: EXIT.unverified, reason: healed.reason };
    if (stopped()) return { ...run, exitCode: EXIT.restored, reason: stopped() ?? '' };
    const ready = await runPipeline(prepare, c, step);
    if (!ready.ok) return { ...run, exitCode: refusedExit, finalState: 'unchanged', reason: ready.reason };
    const saved = await runPipeline([backup], c, step);
    if (!saved.ok) {
      await c.shell.exec(sh('rm', '-rf', '--', posix.join(t.appDir, 'backups', c.releaseId)));
      return { ...run, exitCode: EXIT.restored, finalState: 'unchanged', reason: await whereDiskFull(c.shell, t, 'backup', saved.reason) };
    }
    const end = await runPipeline([arm, ...change], c, step, stopped);
    if (!end.ok) return await failAndRestore(c, step, end.at, end.reason);
    return { ...run, finalState: c.via === 'rollback' ? 'rolled-back' : 'deployed', exitCode: EXIT.ok, reason: '' };
  } finally {
    endLease();
    o.signal?.removeEventListener('abort', onInterrupt);
    await releaseLock(c.shell, t.appDir, owner);
    await c.shell.exec(handBackCommand(t.appDir), { timeoutMs: 60_000 });
  }
}
