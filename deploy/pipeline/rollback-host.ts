import type { Clock } from '../../app/core/clock.ts';
import type { HostTarget } from '../config/host-target.ts';
import { currentRelease, manifestOf, selectRollbackTarget, transitionManifest, type ManifestEntry, type ReleaseRecord } from '../releases/release-record.ts';
import { HOST_OPS, hostTool } from '../remote/host-tool.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { failed, passed, stepRunner } from '../remote/step.ts';
import { guardedChange, type GuardedCtx, type GuardOptions } from './guarded-change.ts';
import { EXIT, newHostRun, type HostRun } from './host-run.ts';
import { defineStep } from './pipeline.ts';
import { liveGuard, proofStep, stopTimer, toolOutcome } from './release-steps.ts';

export interface RollbackHostOptions extends GuardOptions {
  /** A release id; default: the last verified release before the current one. */
  to?: string;
  reason: string;
  by: 'deploy' | 'rollback-command';
  clock: Clock;
}

interface RollbackCtx extends GuardedCtx {
  ro: RollbackHostOptions;
  from?: string;
  target?: { id: string; manifest: ManifestEntry[]; fromManifest: ManifestEntry[] | undefined };
}

export async function readRecords(shell: RemoteShell, appDir: string): Promise<{ ok: true; records: ReleaseRecord[] } | { ok: false; reason: string }> {
  const r = await hostTool(shell, HOST_OPS.records, appDir);
  return r.ok ? { ok: true, records: r.value.records } : r;
}

/** Chosen after reconcile, from the record it left: the release the host really runs is the one rolled away from. */
const choose = defineStep('choose', async (c: RollbackCtx) => {
  const recs = await readRecords(c.shell, c.t.appDir);
  if (!recs.ok) return failed(recs.reason);
  let id = c.ro.to;
  if (id === undefined) {
    const sel = selectRollbackTarget(recs.records);
    if (!sel.ok) return failed(`rollback: ${sel.reason}`);
    id = sel.target;
  }
  const manifest = manifestOf(recs.records, id);
  if (!manifest) return failed(`rollback: release ${id} is not a verified release on ${c.t.name}`);
  c.from = currentRelease(recs.records);
  const fromManifest = c.from ? manifestOf(recs.records, c.from) : undefined;
  c.target = { id, manifest, fromManifest };
  c.releaseId = id;
  c.manifest = manifest;
  c.touches = transitionManifest(fromManifest, manifest).entries.map((e) => e.path);
  return passed({ from: c.from, to: id });
});

const restoreTarget = defineStep('restore', async (c: RollbackCtx) =>
  c.target ? toolOutcome(await hostTool(c.shell, HOST_OPS.restore, c.t.appDir, '-', transitionManifest(c.target.fromManifest, c.target.manifest), liveGuard(c)), (v) => v) : failed('restore: no target chosen'),
);

/** The target's new verified record and the rolled-back one of the release left, in one host-side write. */
const confirmRollback = defineStep('confirm', async (c: RollbackCtx) => {
  const time = new Date().toISOString();
  const before = c.from && c.from !== c.releaseId ? [{ id: c.from, time, status: 'rolled-back', reason: c.ro.reason, via: 'rollback' }] : [];
  return toolOutcome(await hostTool(c.shell, HOST_OPS.confirm, c.t.appDir, undefined, { before, id: c.releaseId, time, status: 'verified', manifest: c.manifest, via: 'rollback' }), () => c.releaseId);
});

/**
 * Restores a verified release's full manifest (content from the store) as a guarded change: reconciled
 * first, the current release backed up and the timer armed, then restored, proven and confirmed; the
 * release rolled away from is recorded `rolled-back`, so a second rollback goes further back.
 */
export async function rollbackHost(shell: RemoteShell, t: HostTarget, o: RollbackHostOptions): Promise<HostRun & { target?: string }> {
  const run = newHostRun(t.name, t.address, t.appDir);
  const step = stepRunner(run, o.clock, o.onStep);
  const c: RollbackCtx = {
    shell, t, run, clock: o.clock, o, ro: o, releaseId: o.to ?? 'rollback', via: 'rollback', files: [], build: { bundleSha256: '0'.repeat(64), sourcesSha256: '0'.repeat(64), qaVerdict: null },
    changed: [], touches: [], token: o.runToken ?? `rollback-${process.pid}-${o.clock.now()}`, uploadTimeoutMs: 60_000, manifest: [], armed: false,
  };
  const end = await guardedChange(c, step, [choose], [restoreTarget, proofStep<RollbackCtx>('restore-proof', (x) => x, liveGuard), confirmRollback, stopTimer], EXIT.usage);
  if (end.exitCode === EXIT.ok) {
    end.rollback = { reason: o.reason, toRelease: c.releaseId, by: o.by, hashesVerified: true };
    end.proofs = [];
  }
  return { ...end, target: c.target?.id };
}
