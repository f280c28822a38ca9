import type { ProbeReport } from './probe-sampler.ts';

/** What "holds the rate" means (#11): the bounds are data, the verdict below only applies them. */
export interface ProbeLimits {
  maxEldP99Ms: number;
  /** Messages handled / offered over the window; below it the service (or the emulator) fell behind. */
  minAchievedShare: number;
  /** Growth of the post-GC floor (the lower half's minimum against the upper's), per simulated hour. */
  maxHeapGrowthMbPerSimHour: number;
  maxRssGrowthMbPerSimHour: number;
  minSimHours: number;
}

export const PROBE_LIMITS: ProbeLimits = { maxEldP99Ms: 50, minAchievedShare: 0.95, maxHeapGrowthMbPerSimHour: 8, maxRssGrowthMbPerSimHour: 24, minSimHours: 1 };

export interface ProbeVerdict {
  pass: boolean;
  reasons: string[];
  achievedRate: number;
  /** CPU of every measured process per message handled, gross (their fixed per-second work included). */
  cpuUsPerMessage: number;
  /** CPU ms per wall second of every measured process: at rate 0, their fixed work alone. */
  cpuMsPerSecond: number;
  /** The worst process's delay p99. */
  eldP99Ms: number;
  heapGrowthMb: number;
  rssGrowthMb: number;
  simHours: number;
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The floor's rise: min of the second half minus min of the first; heap samples are a GC sawtooth. */
export function floorGrowth(samples: readonly number[]): number {
  if (samples.length < 4) return 0;
  const half = Math.floor(samples.length / 2);
  return Math.min(...samples.slice(half)) - Math.min(...samples.slice(0, half));
}

export function judgeProbe(offeredRate: number, reports: readonly ProbeReport[], speed: number, limits: ProbeLimits = PROBE_LIMITS): ProbeVerdict {
  const seconds = Math.min(...reports.map((r) => r.seconds));
  const messages = reports.reduce((n, r) => n + r.messages, 0);
  const cpuMs = reports.reduce((n, r) => n + r.cpuMs, 0);
  const achievedRate = messages / seconds;
  const simHours = (seconds * speed) / 3600;
  const eldP99Ms = Math.max(...reports.map((r) => r.eldP99Ms));
  const heapGrowthMb = Math.max(...reports.map((r) => floorGrowth(r.heapMb)));
  const rssGrowthMb = Math.max(...reports.map((r) => floorGrowth(r.rssMb)));
  const reasons: string[] = [];
  if (eldP99Ms > limits.maxEldP99Ms) reasons.push(`event-loop delay p99 ${round(eldP99Ms)} ms > ${limits.maxEldP99Ms}`);
  if (achievedRate < offeredRate * limits.minAchievedShare) reasons.push(`handled ${Math.round(achievedRate)}/s of ${offeredRate}/s offered`);
  if (simHours < limits.minSimHours) reasons.push(`window ${round(simHours, 2)} simulated h < ${limits.minSimHours}`);
  if (heapGrowthMb > limits.maxHeapGrowthMbPerSimHour * simHours) reasons.push(`heap floor grew ${round(heapGrowthMb)} MB`);
  if (rssGrowthMb > limits.maxRssGrowthMbPerSimHour * simHours) reasons.push(`RSS floor grew ${round(rssGrowthMb)} MB`);
  return {
    pass: reasons.length === 0,
    reasons,
    achievedRate: Math.round(achievedRate),
    cpuUsPerMessage: round((1000 * cpuMs) / Math.max(1, messages)),
    cpuMsPerSecond: round(cpuMs / seconds),
    eldP99Ms: round(eldP99Ms, 2),
    heapGrowthMb: round(heapGrowthMb),
    rssGrowthMb: round(rssGrowthMb),
    simHours: round(simHours, 2),
  };
}

/**
 * CPU µs per message with the fixed per-second work (what the same processes burn at rate 0) taken out:
 * the cost of a message alone, which does not fall as the offered rate rises the way the gross figure
 * does. The service's fixed work is mostly REST refreshes on the sped-up sim clock, which the bare-ws
 * floor does not do, so only this figure compares the two on the WS path. Null when nothing was handled.
 */
export function marginalCpuUsPerMessage(at: Pick<ProbeVerdict, 'cpuMsPerSecond' | 'achievedRate'>, idle: Pick<ProbeVerdict, 'cpuMsPerSecond'>): number | null {
  if (!(at.achievedRate > 0)) return null;
  return round((1000 * Math.max(0, at.cpuMsPerSecond - idle.cpuMsPerSecond)) / at.achievedRate);
}
