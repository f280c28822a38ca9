import type { Clock } from '../../app/core/clock.ts';
import { PERIODIC_DONE_PATTERN } from '../config/defaults.ts';
import type { RemoteShell } from './ssh-session.ts';
import { sh } from './sh-quote.ts';
import { stopReason, type StepOutcome } from './step.ts';
import { unitStatus } from './unit-status.ts';

export interface MemorySample {
  tS: number;
  mb: number;
  nRestarts: number;
}

export interface WatchEvidence {
  source: 'MemoryCurrent' | 'VmRSS';
  samples: MemorySample[];
  growthMbPerMin: number | null;
  periodicLines: number;
}

/** Least-squares slope of MB over minutes, from samples after the warm-up; null with < 3 points. */
export function growthMbPerMin(samples: readonly MemorySample[], warmupS: number): number | null {
  const pts = samples.filter((s) => s.tS >= warmupS);
  if (pts.length < 3) return null;
  const n = pts.length;
  const mx = pts.reduce((a, p) => a + p.tS / 60, 0) / n;
  const my = pts.reduce((a, p) => a + p.mb, 0) / n;
  const num = pts.reduce((a, p) => a + (p.tS / 60 - mx) * (p.mb - my), 0);
  const den = pts.reduce((a, p) => a + (p.tS / 60 - mx) ** 2, 0);
  return den === 0 ? null : num / den;
}

/** The growth is always judged on the second half of the window at least. */
export const effectiveWarmupMs = (warmupMs: number, watchMs: number): number => Math.min(warmupMs, watchMs / 2);

export interface WatchOptions {
  unit: string;
  invocationId: string;
  watchMs: number;
  warmupMs: number;
  budgetMbPerMin: number;
  /** The cleanup interval seen in the "Next memory cleanup in Ns" line, if known. */
  cleanupIntervalS: number | undefined;
  clock: Clock;
  sampleMs?: number;
  /** Cuts the window short (SIGINT/SIGTERM, a lost lock); the result fails with its reason. */
  signal?: AbortSignal;
}

/**
 * Samples memory (MemoryCurrent, else MainPID VmRSS — recorded), NRestarts and ActiveState over the
 * window. Fails on a restart, on growth above the budget after the warm-up, or when the window is longer
 * than the cleanup interval and no periodic cleanup finished.
 */
export async function watchMemory(shell: RemoteShell, o: WatchOptions): Promise<StepOutcome<WatchEvidence>> {
  const ev: WatchEvidence = { source: 'VmRSS', samples: [], growthMbPerMin: null, periodicLines: 0 };
  const start = o.clock.now();
  const sampleMs = o.sampleMs ?? Math.max(1_000, Math.min(10_000, o.watchMs / 20));
  const rounds = Math.ceil(o.watchMs / sampleMs) + 1;
  for (let i = 0; i < rounds; i += 1) {
    if (o.signal?.aborted) return { ok: false, reason: stopReason(o.signal), evidence: ev };
    const s = await unitStatus(shell, o.unit);
    if (!s.ok) return { ok: false, reason: `watch: ${s.reason}`, evidence: ev };
    if (s.status.invocationId !== o.invocationId || s.status.activeState !== 'active') {
      return { ok: false, reason: `watch: service ${s.status.activeState}, invocation ${s.status.invocationId || 'none'} (restarted or died)`, evidence: ev };
    }
    let mb: number;
    if (s.status.memoryCurrent !== null) {
      ev.source = 'MemoryCurrent';
      mb = s.status.memoryCurrent / 1048576;
    } else {
      const r = await shell.exec(sh('grep', '^VmRSS:', `/proc/${s.status.mainPid}/status`));
      const kb = Number(/(\d+)/.exec(r.stdout)?.[1] ?? NaN);
      if (!Number.isFinite(kb)) return { ok: false, reason: `watch: cannot read VmRSS of pid ${s.status.mainPid}`, evidence: ev };
      mb = kb / 1024;
    }
    ev.samples.push({ tS: (o.clock.now() - start) / 1000, mb: Math.round(mb * 10) / 10, nRestarts: s.status.nRestarts });
    if (o.clock.now() - start >= o.watchMs) break;
    await o.clock.sleep(sampleMs, o.signal).catch(() => undefined);
  }
  if (o.signal?.aborted) return { ok: false, reason: stopReason(o.signal), evidence: ev };
  // A warm-up as long as the window would leave no points to judge, and a leak would pass unseen.
  ev.growthMbPerMin = growthMbPerMin(ev.samples, effectiveWarmupMs(o.warmupMs, o.watchMs) / 1000);
  if (ev.growthMbPerMin !== null && ev.growthMbPerMin > o.budgetMbPerMin) {
    return { ok: false, reason: `watch: memory grows ${ev.growthMbPerMin.toFixed(1)} MB/min > budget ${o.budgetMbPerMin}`, evidence: ev };
  }
  const j = await shell.exec(sh('journalctl', `_SYSTEMD_INVOCATION_ID=${o.invocationId}`, '-o', 'cat', '--no-pager'));
  ev.periodicLines = j.stdout.split('\n').filter((l) => l.includes(PERIODIC_DONE_PATTERN)).length;
  if (o.cleanupIntervalS !== undefined && o.watchMs > o.cleanupIntervalS * 1000 + 5_000 && ev.periodicLines === 0) {
    return { ok: false, reason: `watch: no periodic cleanup within ${o.watchMs / 1000}s (interval ${o.cleanupIntervalS}s)`, evidence: ev };
  }
  return { ok: true, reason: '', evidence: ev };
}
