import type { Clock } from '../../app/core/clock.ts';
import { NEXT_CLEANUP_RE } from '../../app/cleanup/cleanup-lines.ts';
import type { HostTarget } from '../config/host-target.ts';
import type { ManifestEntry, ReleaseBuildInfo } from '../releases/release-record.ts';
import { HOST_OPS, hostTool, type ToolResult } from '../remote/host-tool.ts';
import { watchMemory } from '../remote/memory-watch.ts';
import { restartAndProve } from '../remote/restart-proof.ts';
import { pendingGuard, revertTimerName } from '../remote/revert-timer.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { failed, passed, type StepOutcome } from '../remote/step.ts';
import { appUnits, sudoSystemctl } from '../remote/unit-status.ts';
import { uploadFiles, type UploadFile } from '../remote/upload.ts';
import type { HostRun } from './host-run.ts';
import { defineStep, type PipelineStep } from './pipeline.ts';

/** What every pipeline over one host shares: the connection, the target and the run being recorded. */
export interface HostCtx {
  shell: RemoteShell;
  t: HostTarget;
  run: HostRun;
  clock: Clock;
  /** Cuts a running proof or watch short (an interrupt, a lost lock). */
  signal?: AbortSignal;
  /** A fresh connection after a link drop; it becomes `shell`. */
  reconnect?: () => Promise<RemoteShell | undefined>;
}

/** The release tail that setup and deploy share: ship, store, prove, watch, confirm. */
export interface ReleaseCtx extends HostCtx {
  releaseId: string;
  via: 'deploy' | 'setup' | 'rollback';
  /** Every shipped file (the release manifest). */
  files: UploadFile[];
  /** Recorded with the verified record. */
  build: ReleaseBuildInfo;
  /** The ones that differ on the host: only these are uploaded. */
  changed: UploadFile[];
  /** Names this run's upload temps, so a killed run's are recognisable. */
  token: string;
  uploadTimeoutMs: number;
  manifest: ManifestEntry[];
  /** The host's revert timer is running for this release. */
  armed: boolean;
}

/** Gives `c` a reconnect that makes the fresh connection its shell. */
export function adoptReconnect(c: HostCtx, reconnect: (() => Promise<RemoteShell | undefined>) | undefined): void {
  if (!reconnect) return;
  c.reconnect = async () => {
    const fresh = await reconnect();
    if (fresh) c.shell = fresh;
    return fresh;
  };
}

/** A host-tool reply as a step outcome. */
export const toolOutcome = <T, E>(r: ToolResult<T>, pick: (v: T) => E, reason = ''): StepOutcome<E | undefined> => (r.ok ? passed(pick(r.value), reason) : failed(r.reason));

/** What a change puts in service goes live only while it is still the pending one. */
export const liveGuard = (c: ReleaseCtx) => (c.armed ? pendingGuard(c.t.appDir, c.releaseId) : undefined);

export const proofPatterns = (t: HostTarget) => ({ startup: new RegExp(t.logPattern, 'u'), next: NEXT_CLEANUP_RE });

/** Restart and prove: the same proof for a new release and for a restored one. */
export const proofStep = <C extends HostCtx>(name: 'restart-proof' | 'restore-proof', timing: (t: HostTarget) => { proofTimeoutMs: number; graceMs: number }, guard?: (c: C) => { test: string; refused: string } | undefined): PipelineStep<C> =>
  defineStep(name, (c: C) => restartAndProve(c.shell, { units: appUnits(c.t), patterns: proofPatterns(c.t), ...timing(c.t), clock: c.clock, signal: c.signal, guard: guard?.(c), reconnect: c.reconnect }), {
    // A restore's proof is evidence of its own step; the run's proof stays the one of the release tried.
    keep: (c, e) => {
      if (name === 'restart-proof') c.run.proofs = e;
    },
  });

const upload = defineStep('upload', (c: ReleaseCtx) => uploadFiles(c.shell, c.t.appDir, c.changed, c.token, c.uploadTimeoutMs, liveGuard(c)));

const store = defineStep('store', async (c: ReleaseCtx) => toolOutcome(await hostTool(c.shell, HOST_OPS.store, c.t.appDir, undefined, { files: c.files.map((f) => f.path) }), (v) => v.entries), {
  keep: (c, e) => (c.manifest = e),
});

/** Every proven instance at once; the first that fails names its unit, else the fastest-growing one is kept. */
const watch = defineStep(
  'watch',
  async (c: ReleaseCtx) => {
    const many = c.run.proofs.length > 1;
    const runs = await Promise.all(
      c.run.proofs.map((p) => {
        const interval = Number(/(\d+)s/.exec(p.next?.message ?? '')?.[1]);
        return watchMemory(c.shell, {
          unit: p.unit,
          invocationId: p.invocationId,
          watchMs: c.t.watchMs,
          warmupMs: c.t.warmupMs,
          budgetMbPerMin: c.t.memoryBudgetMbPerMin,
          cleanupIntervalS: Number.isFinite(interval) ? interval : undefined,
          clock: c.clock,
          signal: c.signal,
        }).then((r) => (r.ok || !many ? r : { ...r, reason: `${p.unit}: ${r.reason}` }));
      }),
    );
    const worst = runs.find((r) => !r.ok) ?? [...runs].sort((a, b) => (b.evidence.growthMbPerMin ?? -Infinity) - (a.evidence.growthMbPerMin ?? -Infinity))[0];
    return worst ?? failed('watch: no proven instance to watch');
  },
  { when: (c) => c.t.watchMs > 0, keep: (c, e) => (c.run.memory = e) },
);

/** The verified record and the un-marking of the pending release, in one host-side process. */
const confirm = defineStep('confirm', async (c: ReleaseCtx) =>
  toolOutcome(await hostTool(c.shell, HOST_OPS.confirm, c.t.appDir, undefined, { id: c.releaseId, time: new Date().toISOString(), status: 'verified', manifest: c.manifest, via: c.via, build: c.build }), () => c.releaseId),
);

/** Best effort: a timer left running finds nothing pending at its next tick and stops itself. */
export const stopTimer = defineStep(
  'stop-timer',
  async (c: ReleaseCtx) => {
    const r = await sudoSystemctl(c.shell, 'stop', revertTimerName(c.t.service));
    return passed(r.ok, r.reason);
  },
  { when: (c) => c.armed, keep: (c) => (c.armed = false) },
);

const prune = defineStep('prune', async (c: ReleaseCtx) => {
  const r = await hostTool(c.shell, HOST_OPS.prune, c.t.appDir, '5');
  // Pruning is housekeeping: the release is verified whether or not it worked.
  return r.ok ? passed(r.value) : passed(undefined, r.reason);
});

export const RELEASE_TAIL: readonly PipelineStep<ReleaseCtx>[] = [
  upload,
  store,
  proofStep<ReleaseCtx>('restart-proof', (t) => t, liveGuard),
  watch,
  confirm,
  stopTimer,
  prune,
];
