import type { Clock } from '../../app/core/clock.ts';
import { NEXT_CLEANUP_PATTERN } from '../config/defaults.ts';
import type { HostTarget } from '../config/host-target.ts';
import { hostTool } from '../remote/host-tool.ts';
import { restartAndProve } from '../remote/restart-proof.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import type { StepRunner } from '../remote/step.ts';
import { currentRelease, type ReleaseRecord } from '../releases/release-record.ts';

export interface RestoreResult {
  ok: boolean;
  reason: string;
  toRelease: string | null;
  hashesVerified: boolean;
}

/**
 * Restores a backup manifest (by release id) or an explicit manifest, verifies hashes on the host,
 * restarts and proves the restored service with the same journal proof as a deploy.
 */
export async function restoreAndProve(
  shell: RemoteShell,
  t: HostTarget,
  o: { releaseId?: string; manifest?: unknown; clock: Clock; step: StepRunner },
): Promise<RestoreResult> {
  const restore = await o.step('restore', () =>
    hostTool<{ restored: string[]; removed: string[]; verified: boolean }>(shell, 'restore', t.appDir, o.manifest ? '-' : o.releaseId, o.manifest).then((r) =>
      r.ok ? { ok: true, reason: '', evidence: r.value } : { ok: false, reason: `restore: ${r.reason}`, evidence: undefined },
    ),
  );
  const records = await hostTool<{ records: ReleaseRecord[] }>(shell, 'records', t.appDir);
  const toRelease = records.ok ? (currentRelease(records.value.records) ?? null) : null;
  if (!restore.ok) return { ok: false, reason: restore.reason, toRelease, hashesVerified: false };
  const patterns = { startup: new RegExp(t.logPattern, 'u'), next: new RegExp(NEXT_CLEANUP_PATTERN, 'u') };
  // The restored build is known good; give it at least 30 s, since a loaded host starts node + tsx slowly.
  const proof = await o.step('restore-proof', () => restartAndProve(shell, { service: t.service, patterns, proofTimeoutMs: Math.max(30_000, t.proofTimeoutMs), graceMs: Math.min(t.graceMs, 3_000), clock: o.clock }));
  return { ok: proof.ok, reason: proof.reason, toRelease, hashesVerified: restore.evidence?.verified ?? false };
}
