import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SoakBuild, SoakRan, WhatGrewReport } from '../../reports/schemas/qa-result.ts';
import { MIN_SOAK_RATIO } from '../qa/weights.ts';
import { growthPerSimHour, judgeCcxtBound, judgeSoak, NOISE_FLOOR_MB_PER_SIM_HOUR } from './growth.ts';
import { runSoakChild, type ChildRun, type SpawnFn } from './soak-child.ts';
import { readSoakHeap } from './soak-heap.ts';
import type { SoakBuildName } from './soak-protocol.ts';
import { buildSoakBundle } from './soak-bundle.ts';
import { SOAK_SERVICE_CONFIG, SOAK_WORKLOAD, warmupSimHoursFor } from './soak-config.ts';

export interface SoakOptions {
  root: string;
  /** Simulated hours each build lives through (default SOAK_WORKLOAD.simHours). */
  simHours?: number;
  /** Wall seconds a build may take for it before it fails, saying how far it got. */
  wallCapS?: number;
  minRatio?: number;
  bootTimeoutMs?: number;
  /** A stand-in child entry (.ts, relative to root) instead of the soak bundle: tests use one. */
  entry?: string;
  spawn?: SpawnFn;
  signal?: AbortSignal;
  /** Parent of the run's work dir (the soak bundle, the heap snapshots); the OS temp dir by default. */
  tmp?: string;
  /** false: no heap snapshots and no "what grew" reading (the verdict does not depend on them). */
  heapReading?: boolean;
}

/**
 * Bounds on one build's wall time, generous on purpose: load stretches them (at a load average of 20 on
 * 2 cores a build booted in 20 s and drove its workload in 250 s) but cannot change the verdict; they only
 * turn a hung child into a failure that says how far it got.
 */
export const SOAK_WALL_CAP_S = 600;
const BOOT_TIMEOUT_MS = 300_000;

const slope = (s: { slope: number } | null) => s?.slope ?? null;

function summarize(label: string, run: ChildRun, warmupSimH: number): SoakBuild {
  return {
    label,
    samples: run.samples,
    retained: growthPerSimHour(run.samples, warmupSimH, 'retainedMb'),
    rssMbPerSimHour: slope(growthPerSimHour(run.samples, warmupSimH, 'rssMb')),
    heapMbPerSimHour: slope(growthPerSimHour(run.samples, warmupSimH, 'heapMb')),
    peakRssMb: Math.max(0, ...run.samples.map((s) => s.rssMb)),
    peakHeapMb: Math.max(0, ...run.samples.map((s) => s.heapMb)),
    ccxtSymbolsMax: Math.max(0, ...run.samples.map((s) => s.ccxtSymbols)),
    messages: run.done?.messages ?? run.samples.at(-1)?.messages ?? 0,
    wallS: run.wallS,
    exitReason: run.exitReason,
  };
}

/**
 * Runs the real build and the fix-removed build side by side, each its own service process on its own
 * stepped clock, through the same fixed workload, and compares the memory each retains per simulated hour.
 */
export async function runSoak(options: SoakOptions): Promise<SoakRan> {
  const simHours = options.simHours ?? SOAK_WORKLOAD.simHours;
  const warmupSimHours = warmupSimHoursFor(simHours);
  const minRatio = options.minRatio ?? MIN_SOAK_RATIO;
  const loadAtStart = loadavg()[0] ?? 0;
  const common = {
    root: options.root,
    simHours,
    wallCapMs: (options.wallCapS ?? SOAK_WALL_CAP_S) * 1000,
    // Boot is the bundle's start and the first refresh passes: about a second idle, far longer under heavy load.
    bootTimeoutMs: options.bootTimeoutMs ?? BOOT_TIMEOUT_MS,
    ...(options.spawn ? { spawn: options.spawn } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
  // One dir per run holds the soak bundle and the heap snapshots; it goes when the run does.
  const work = await mkdtemp(join(options.tmp ?? tmpdir(), 'leakproof-soak-'));
  const heap = options.heapReading !== false;
  try {
    const script = options.entry ? { ok: true as const, script: join(options.root, options.entry) } : await buildSoakBundle(options.root, work);
    const run = (build: SoakBuildName): Promise<ChildRun> =>
      script.ok
        ? runSoakChild({ ...common, script: script.script, build, ...(heap ? { heapDir: work } : {}) })
        : Promise.resolve({ samples: [], exitReason: `did not start: ${script.reason}`, wallS: 0, snapshots: {} });
    const [real, before] = await Promise.all([run('real'), run('fix-removed')]);
    const builds = {
      real: summarize('bounded OHLCV ring, trims, periodic cleanup and eviction', real, warmupSimHours),
      fixRemoved: summarize('naive unbounded store, no trim, no cleanup, no eviction', before, warmupSimHours),
    };
    // The fix-removed build always grows, and its reading shows the store the fix bounds; the real build
    // is read only when it grew beyond noise, which is when the verdict needs to say what holds it.
    const realGrew = (builds.real.retained?.lo ?? 0) > NOISE_FLOOR_MB_PER_SIM_HOUR;
    const whatGrew = heap ? [await readSoakHeap('soak: fix-removed build', before), ...(realGrew ? [await readSoakHeap('soak: real build', real)] : [])] : [];
    return verdict({ builds, whatGrew, simHours, warmupSimHours, minRatio, loadAtStart });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface Judged {
  builds: SoakRan['builds'];
  whatGrew: WhatGrewReport[];
  simHours: number;
  warmupSimHours: number;
  minRatio: number;
  loadAtStart: number;
}

function verdict({ builds, whatGrew, simHours, warmupSimHours, minRatio, loadAtStart }: Judged): SoakRan {
  const broken = (['real', 'fixRemoved'] as const).filter((k) => builds[k].exitReason !== 'done');
  const ccxt = judgeCcxtBound(builds.real.samples, warmupSimHours);
  const growth = judgeSoak(builds.real.retained, builds.fixRemoved.retained, minRatio);
  const judged = broken.length
    ? { ratio: null, ok: false, message: broken.map((k) => `${k === 'real' ? 'real' : 'fix-removed'} build ${builds[k].exitReason}`).join('; ') }
    : { ratio: growth.ratio, ok: growth.ok && ccxt.ok, message: ccxt.ok ? growth.message : `${ccxt.message}; ${growth.message}` };
  const c = SOAK_SERVICE_CONFIG;
  return {
    ran: true,
    workload: {
      simHours,
      stepSimS: SOAK_WORKLOAD.stepSimS,
      messagesPerSimMinute: SOAK_WORKLOAD.messagesPerSimMinute,
      sampleEverySimMinutes: SOAK_WORKLOAD.sampleEverySimMinutes,
      warmupSimHours,
      topN: c.topN,
      rotation: { everySeconds: c.sim.rotation.everySeconds, listed: c.sim.rotation.listed, step: c.sim.rotation.step },
    },
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    builds,
    minRatio,
    noiseFloorMbPerSimHour: NOISE_FLOOR_MB_PER_SIM_HOUR,
    whatGrew,
    ...judged,
  };
}
