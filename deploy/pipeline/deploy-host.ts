import type { Clock } from '../../app/core/clock.ts';
import type { HostTarget } from '../config/host-target.ts';
import { diffFiles, type ReleaseBuildInfo } from '../releases/release-record.ts';
import { HOST_OPS, hostTool } from '../remote/host-tool.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { failed, passed, stepRunner } from '../remote/step.ts';
import type { UploadFile } from '../remote/upload.ts';
import { guardedChange, holderGone, who, type GuardedCtx, type GuardOptions } from './guarded-change.ts';
import { EXIT, newHostRun, type HostRun } from './host-run.ts';
import { defineStep } from './pipeline.ts';
import { preflight } from './preflight.ts';
import { RELEASE_TAIL } from './release-steps.ts';

export { holderGone } from './guarded-change.ts';

export interface DeployHostOptions extends GuardOptions {
  releaseId: string;
  files: UploadFile[];
  build: ReleaseBuildInfo;
  dryRun: boolean;
  clock: Clock;
  uploadTimeoutMs?: number;
}

/** Re-hashed under the lock, after reconcile: the preflight diff may predate a healed or concurrent change. */
const rehash = defineStep('diff', async (c: GuardedCtx) => {
  const hashes = await hostTool(c.shell, HOST_OPS.hash, c.t.appDir, undefined, { files: c.files.map((f) => f.path) });
  if (!hashes.ok) return failed(`diff: ${hashes.reason}`);
  c.run.diff = diffFiles(c.files, new Map(hashes.value.files.map((f) => [f.path, f.sha256 ?? null])));
  c.changed = c.files.filter((f) => c.run.diff.find((d) => d.path === f.path)?.change !== 'unchanged');
  c.touches = c.changed.map((f) => f.path);
  return passed(c.changed.length);
});

/**
 * One host: preflight, then the guarded change (lock, reconcile, backup of the last verified release,
 * armed timer) whose change is the release tail: ship, store, prove, watch and confirm.
 */
export async function deployHost(first: RemoteShell, t: HostTarget, o: DeployHostOptions): Promise<HostRun> {
  const run = newHostRun(t.name, t.address, t.appDir);
  const step = stepRunner(run, o.clock, o.onStep);
  const pre = await step('preflight', () => preflight(first, { appDir: t.appDir, service: t.service, shards: t.shards, files: o.files, holderGone: (owner) => holderGone(first, t.appDir, owner, o.identity) }));
  run.diff = pre.evidence?.diff ?? [];
  if (!pre.ok) {
    const lockState = pre.evidence?.lock;
    if (lockState?.state === 'live') run.lockHolder = who(lockState.owner);
    return { ...run, exitCode: lockState?.state === 'live' ? EXIT.locked : EXIT.usage, reason: pre.reason };
  }
  if (o.dryRun) return { ...run, reason: 'dry run: nothing changed' };
  const c: GuardedCtx = {
    shell: first, t, run, clock: o.clock, o, releaseId: o.releaseId, via: 'deploy', files: o.files, build: o.build, changed: [], touches: [],
    token: o.runToken ?? `${o.releaseId}-${process.pid}`, uploadTimeoutMs: o.uploadTimeoutMs ?? 60_000, manifest: [], armed: false,
  };
  return guardedChange(c, step, [rehash], RELEASE_TAIL, EXIT.restored);
}
