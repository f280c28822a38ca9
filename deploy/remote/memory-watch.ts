import type { Clock } from '../../app/core/clock.ts';
import type { UnitName, UnitSample } from '../../reports/units/unit-fit.ts';
import type { HeapEvidence } from '../../reports/schemas/deploy-evidence.ts';
import { hostHeapEvidence } from '../heap/host-snapshots.ts';
import { judgeWindow, type UnitWatchEvidence } from '../watch/judge-window.ts';
import { memoryLimits, scrapeUnits, servicePort } from '../watch/service-probe.ts';
import type { UnitScrape } from '../watch/unit-sample.ts';
import type { RemoteShell } from './ssh-session.ts';
import { stopReason, type StepOutcome } from './step.ts';
import { unitStatus } from './unit-status.ts';

export interface MemorySample {
  tS: number;
  mb: number;
  nRestarts: number;
}

/** One retained-heap sample: a cleanup's gc seen in /metrics, with the work done until then. */
export interface RetainedSample {
  tS: number;
  retainedMb: number;
  messages: number;
  listingTurns: number;
}

export interface WatchEvidence {
  source: 'MemoryCurrent' | 'VmRSS';
  samples: MemorySample[];
  /** RSS over the window, for the record only: the verdict is on the retained heap in QA's units. */
  growthMbPerMin: number | null;
  /** Cleanups the service finished during the window. */
  periodicLines: number;
  retained: RetainedSample[];
  units: UnitWatchEvidence | null;
  /** Two heap snapshots from the host, read by memlab: taken when the retained heap failed the watch. */
  heap: HeapEvidence | null;
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
  /** The service (its heap dir); `unit` is the instance watched. */
  service: string;
  unit: string;
  appDir: string;
  invocationId: string;
  watchMs: number;
  warmupMs: number;
  /** QA's per-unit floors (bytes per message, per listing turn, per hour). */
  qaFloors: Record<UnitName, number>;
  /** The projected growth must not reach MemoryHigh sooner than this. */
  days: number;
  clock: Clock;
  sampleMs?: number;
  /** Cuts the window short (SIGINT/SIGTERM, a lost lock); the result fails with its reason. */
  signal?: AbortSignal;
}

const MB = 1024 * 1024;

/**
 * Watches one instance: restarts and ActiveState from systemd, and the service's own /metrics (read on
 * the host's loopback by the host tool). Every cleanup's gc leaves a retained-heap sample; after the
 * warm-up they are fitted against messages, listing turns and time and judged in QA's units. Fails on a
 * restart, a leak or a short time to MemoryHigh, or when no cleanup finished in a window longer than its
 * interval.
 */
export async function watchMemory(shell: RemoteShell, o: WatchOptions): Promise<StepOutcome<WatchEvidence>> {
  const ev: WatchEvidence = { source: 'VmRSS', samples: [], growthMbPerMin: null, periodicLines: 0, retained: [], units: null, heap: null };
  const fail = (reason: string) => ({ ok: false, reason, evidence: ev });
  const port = await servicePort(shell, o.invocationId);
  if (!port.ok) return fail(`watch: ${port.reason}`);
  const start = o.clock.now();
  const sampleMs = o.sampleMs ?? Math.max(1_000, Math.min(5_000, o.watchMs / 40));
  const rounds = Math.ceil(o.watchMs / sampleMs) + 1;
  const warmupS = effectiveWarmupMs(o.warmupMs, o.watchMs) / 1000;
  let first: UnitScrape | undefined;
  let last: UnitScrape | undefined;
  let hostStartS: number | undefined;
  let lastCleanup: number | null = null;
  for (let i = 0; i < rounds; i += 1) {
    if (o.signal?.aborted) return fail(stopReason(o.signal));
    const s = await unitStatus(shell, o.unit);
    if (!s.ok) return fail(`watch: ${s.reason}`);
    if (s.status.invocationId !== o.invocationId || s.status.activeState !== 'active') {
      return fail(`watch: service ${s.status.activeState}, invocation ${s.status.invocationId || 'none'} (restarted or died)`);
    }
    const m = await scrapeUnits(shell, o.appDir, port.port);
    if (!m.ok) return fail(`watch: ${m.reason}`);
    ev.source = s.status.memoryCurrent !== null ? 'MemoryCurrent' : 'VmRSS';
    const bytes = s.status.memoryCurrent ?? m.scrape.rssBytes;
    if (bytes !== null) ev.samples.push({ tS: (o.clock.now() - start) / 1000, mb: Math.round((bytes / MB) * 10) / 10, nRestarts: s.status.nRestarts });
    first ??= m.scrape;
    last = m.scrape;
    // Cleanup times are the host's: the window's origin is the host's time of the first scrape.
    hostStartS ??= m.atMs / 1000;
    const { cleanupAtS, retainedBytes, retainedAt } = m.scrape;
    if (cleanupAtS !== null && cleanupAtS !== lastCleanup) {
      if (lastCleanup !== null) ev.periodicLines += 1;
      lastCleanup = cleanupAtS;
      if (retainedBytes !== null && retainedAt !== null) ev.retained.push({ tS: cleanupAtS - hostStartS, retainedMb: retainedBytes / MB, ...retainedAt });
    }
    if (o.clock.now() - start >= o.watchMs) break;
    await o.clock.sleep(sampleMs, o.signal).catch(() => undefined);
  }
  if (o.signal?.aborted) return fail(stopReason(o.signal));
  ev.growthMbPerMin = growthMbPerMin(ev.samples, warmupS);
  const interval = last?.cleanupIntervalS ?? null;
  if (interval !== null && o.watchMs > interval * 1000 + 5_000 && ev.periodicLines === 0) {
    return fail(`watch: no periodic cleanup within ${o.watchMs / 1000}s (interval ${interval}s)`);
  }
  return judgeRetained(shell, { ...o, port: port.port }, ev, first, last, warmupS);
}

async function judgeRetained(shell: RemoteShell, o: WatchOptions & { port: number }, ev: WatchEvidence, first: UnitScrape | undefined, last: UnitScrape | undefined, warmupS: number): Promise<StepOutcome<WatchEvidence>> {
  const judged = ev.retained.filter((r) => r.tS >= warmupS);
  const spanS = (judged.at(-1)?.tS ?? 0) - (judged[0]?.tS ?? 0);
  const samples: UnitSample[] = judged.map((r) => ({ retainedBytes: r.retainedMb * MB, messages: r.messages, listingTurns: r.listingTurns, hours: r.tS / 3600 }));
  const windowS = (ev.samples.at(-1)?.tS ?? 0) - (ev.samples[0]?.tS ?? 0);
  const rate = (pick: (s: UnitScrape) => number) => (first && last && windowS > 0 ? (pick(last) - pick(first)) / windowS : 0);
  const limits = await memoryLimits(shell, o.unit);
  const limit = limits.high ?? limits.max;
  const nowBytes = (ev.samples.at(-1)?.mb ?? 0) * MB;
  const verdict = judgeWindow({
    samples,
    qaFloors: o.qaFloors,
    msgPerSecond: rate((s) => s.messages),
    listingTurnsPerDay: rate((s) => s.listingTurns) * 86_400,
    headroomBytes: limit === null ? null : Math.max(0, limit - nowBytes),
    days: o.days,
  });
  ev.units = verdict.evidence ?? null;
  // What grew is read before the rollback replaces the process that grew it.
  if (!verdict.ok && verdict.evidence) {
    const messagesApart = Math.max(10_000, Math.round(verdict.evidence.msgPerSecond * 15));
    ev.heap = await hostHeapEvidence(shell, { service: o.service, unit: o.unit, appDir: o.appDir, port: o.port, clock: o.clock, messagesApart });
  }
  const reason = verdict.ok ? `${verdict.reason} (${samples.length} retained samples over ${Math.round(spanS)} s)` : verdict.reason;
  return { ok: verdict.ok, reason, evidence: ev };
}
