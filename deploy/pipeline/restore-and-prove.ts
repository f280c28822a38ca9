import type { HostTarget } from '../config/host-target.ts';
import { currentRelease } from '../releases/release-record.ts';
import { HOST_OPS, hostTool } from '../remote/host-tool.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import type { StepRunner } from '../remote/step.ts';
import type { Clock } from '../../app/core/clock.ts';
import type { HostRun } from './host-run.ts';
import { runPipeline, defineStep, type PipelineStep } from './pipeline.ts';
import { adoptReconnect, proofStep, toolOutcome, type HostCtx } from './release-steps.ts';

export interface RestoreResult {
  ok: boolean;
  reason: string;
  toRelease: string | null;
  hashesVerified: boolean;
}

export type RestoreSource = { releaseId: string } | { manifest: unknown };

interface RestoreCtx extends HostCtx {
  source: RestoreSource;
  hashesVerified: boolean;
}

const restore = defineStep(
  'restore',
  async (c: RestoreCtx) => {
    const r = 'manifest' in c.source ? await hostTool(c.shell, HOST_OPS.restore, c.t.appDir, '-', c.source.manifest) : await hostTool(c.shell, HOST_OPS.restore, c.t.appDir, c.source.releaseId);
    return toolOutcome(r, (v) => v);
  },
  { keep: (c, e) => (c.hashesVerified = e.verified) },
);

/** The restore pipeline: put a manifest back (hash-verified on the host), then the same proof as a deploy. */
export const RESTORE_STEPS: readonly PipelineStep<RestoreCtx>[] = [
  restore,
  // The restored build is known good; give it at least 30 s, since a loaded host starts node + tsx slowly.
  proofStep<RestoreCtx>('restore-proof', (t) => ({ proofTimeoutMs: Math.max(30_000, t.proofTimeoutMs), graceMs: Math.min(t.graceMs, 3_000) })),
];

/**
 * Restores a backup manifest (by release id) or an explicit manifest and proves the restored service.
 * Never cut short by the deploy's stop signal: a restore half-done would leave the host on neither release.
 */
export async function restoreAndProve(shell: RemoteShell, t: HostTarget, o: { source: RestoreSource; clock: Clock; step: StepRunner; run: HostRun; reconnect?: HostCtx['reconnect'] }): Promise<RestoreResult> {
  const c: RestoreCtx = { shell, t, run: o.run, clock: o.clock, source: o.source, hashesVerified: false };
  adoptReconnect(c, o.reconnect);
  const end = await runPipeline(RESTORE_STEPS, c, o.step);
  const records = await hostTool(c.shell, HOST_OPS.records, t.appDir);
  const toRelease = records.ok ? (currentRelease(records.value.records) ?? null) : null;
  return end.ok ? { ok: true, reason: '', toRelease, hashesVerified: c.hashesVerified } : { ok: false, reason: end.reason, toRelease, hashesVerified: c.hashesVerified };
}
