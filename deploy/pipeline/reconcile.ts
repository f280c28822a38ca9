import { checkInvariant, type HostState } from '../releases/host-invariant.ts';
import { manifestOf, transitionManifest } from '../releases/release-record.ts';
import { HOST_OPS, hostTool } from '../remote/host-tool.ts';
import { readHostState } from '../remote/host-state.ts';
import { restartAndProve } from '../remote/restart-proof.ts';
import { expireAndWait, revertRunSettled } from '../remote/revert-timer.ts';
import { failed, passed, type StepOutcome } from '../remote/step.ts';
import { appUnits } from '../remote/unit-status.ts';
import { proofPatterns, type HostCtx } from './release-steps.ts';

export interface ReconcileEvidence {
  found: string[];
  settled?: string;
  repaired: boolean;
  current: string | undefined;
}

/** The restored (or repaired) service gets the restore proof's patience: it is known-good code. */
const proveRestored = (c: HostCtx) =>
  restartAndProve(c.shell, { units: appUnits(c.t), patterns: proofPatterns(c.t), proofTimeoutMs: Math.max(30_000, c.t.proofTimeoutMs), graceMs: Math.min(c.t.graceMs, 3_000), clock: c.clock, reconnect: c.reconnect });

const readState = (c: HostCtx) => readHostState(c.shell, c.t, appUnits(c.t));

/**
 * Has the timer revert the pending change now (its deployer is gone: we hold the lock), so the restore
 * and the restart happen together on the host, then proves the restored service.
 */
async function settlePending(c: HostCtx, s: HostState): Promise<StepOutcome<string | undefined>> {
  const releaseId = s.pending?.releaseId ?? '';
  const r = await expireAndWait(c.shell, c.t.appDir, c.t.service, c.clock);
  if (!r.ok) return failed(`the pending ${releaseId} is not reverted: ${r.reason}`);
  const proof = await proveRestored(c);
  return proof.ok ? passed(`the timer reverted the pending ${releaseId} and the restored service proved`) : failed(`the timer reverted the pending ${releaseId}, but the restored service did not prove: ${proof.reason}`);
}

/**
 * The first step of every deploy, rollback and setup, under the lock: wait for a revert the timer is
 * running, run the one a dead deployer left pending, then judge the host with the invariant. A host whose
 * disk or service drifted from the record is put back on `current` from its stored objects and proven;
 * one that cannot be (objects gone) is refused. The reason is one line of what was found and done.
 */
export async function reconcile(c: HostCtx): Promise<StepOutcome<ReconcileEvidence>> {
  const ev: ReconcileEvidence = { found: [], repaired: false, current: undefined };
  const idle = await revertRunSettled(c.shell, c.t.service, c.clock);
  if (!idle.ok) return { ok: false, reason: `reconcile: ${idle.reason}`, evidence: ev };
  let s = await readState(c);
  if (!s.ok) return { ok: false, reason: `reconcile: ${s.reason}`, evidence: ev };
  if (s.value.pending) {
    const settled = await settlePending(c, s.value);
    ev.settled = settled.evidence;
    if (!settled.ok) return { ok: false, reason: `reconcile: ${settled.reason}`, evidence: ev };
    s = await readState(c);
    if (!s.ok) return { ok: false, reason: `reconcile: ${s.reason}`, evidence: ev };
  }
  const verdict = checkInvariant(s.value);
  ev.current = verdict.current;
  const what = ev.settled ? `${ev.settled}; ` : '';
  if (verdict.holds) return { ok: true, reason: `reconcile: ${what}host runs ${verdict.current ?? 'no release yet'}`, evidence: ev };
  ev.found = verdict.problems;
  const found = `found ${verdict.problems.join('; ')}`;
  const manifest = verdict.current === undefined ? undefined : manifestOf(s.value.records, verdict.current);
  const lost = manifest?.filter((e) => !s.value.objects.has(e.sha256) && s.value.disk.get(e.path) !== e.sha256) ?? [];
  if (!manifest || lost.length > 0 || s.value.pending) return { ok: false, reason: `reconcile: ${what}${found}; refusing: cannot put ${verdict.current ?? 'the record'} back`, evidence: ev };
  const restored = await hostTool(c.shell, HOST_OPS.restore, c.t.appDir, '-', transitionManifest(undefined, manifest));
  if (!restored.ok) return { ok: false, reason: `reconcile: ${what}${found}; repair failed: ${restored.reason}`, evidence: ev };
  const proof = await proveRestored(c);
  ev.repaired = proof.ok;
  return { ok: proof.ok, reason: `reconcile: ${what}${found}; ${proof.ok ? `repaired: restored and proved ${verdict.current ?? ''}` : `repair did not prove: ${proof.reason}`}`, evidence: ev };
}
