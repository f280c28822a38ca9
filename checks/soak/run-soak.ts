import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProductionProfile, SoakBuild, SoakRan, WhatGrewReport } from '../../reports/schemas/qa-result.ts';
import { judgeBuild, judgeCcxtBound, type BuildJudgement } from './judge-units.ts';
import { msgPerSecondFor, ProfileConfig, readMemoryHigh } from './production-profile.ts';
import { runSoakChild, type ChildRun, type SpawnFn } from './soak-child.ts';
import { buildSoakBundle } from './soak-bundle.ts';
import { rotationFor, SOAK_PLAN, soakServiceConfig, type SoakPlan } from './soak-config.ts';
import { readSoakHeap } from './soak-heap.ts';
import type { SoakBuildName } from './soak-protocol.ts';
import { UNIT_TARGETS, UNIT_TOLERANCE, UNIT_WORDS } from './unit-limits.ts';
import { UNITS, type UnitName } from '../../reports/units/unit-fit.ts';

export interface SoakOptions {
  root: string;
  plan?: SoakPlan;
  profile?: Partial<ProfileConfig>;
  /** Wall seconds a build may take for its plan before it fails, saying how far it got. */
  wallCapS?: number;
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
 * Bounds on one build's wall time, generous on purpose: load stretches them but cannot change the
 * verdict; they only turn a hung child into a failure that says how far it got.
 */
export const SOAK_WALL_CAP_S = 600;
const BOOT_TIMEOUT_MS = 300_000;

/**
 * The fix-removed build's plan: the same listing and hour phases, a quarter of the messages. Its naive
 * store sorts a symbol's whole history on every candle message, which made its message phase cost more
 * than the real build's whole run; its leak is per listing turn and per hour, and the same judgement
 * still fits all three units.
 */
export const teethPlan = (plan: SoakPlan): SoakPlan => ({ ...plan, fillMessages: Math.round(plan.fillMessages / 4), messagesPerBlock: Math.round(plan.messagesPerBlock / 4) });

const LABELS: Record<'real' | 'fixRemoved', string> = {
  real: 'bounded OHLCV ring, trims, periodic cleanup and eviction',
  fixRemoved: 'naive unbounded store, no trim, no cleanup, no eviction',
};
const NAMES: Record<'real' | 'fixRemoved', string> = { real: 'real build', fixRemoved: 'fix-removed build' };

function summarize(key: 'real' | 'fixRemoved', run: ChildRun, judged: BuildJudgement): SoakBuild {
  return {
    label: LABELS[key],
    samples: run.samples,
    fit: judged.fit,
    projection: judged.projection,
    units: judged.units,
    ok: judged.reasons.length === 0,
    peakRssMb: Math.max(0, ...run.samples.map((s) => s.rssMb)),
    peakHeapMb: Math.max(0, ...run.samples.map((s) => s.heapMb)),
    ccxtSymbolsMax: Math.max(0, ...run.samples.map((s) => s.ccxtSymbols)),
    messages: run.done?.messages ?? run.samples.at(-1)?.messages ?? 0,
    listingTurns: run.done?.listingTurns ?? run.samples.at(-1)?.listingTurns ?? 0,
    wallS: run.wallS,
    ...(run.done?.cpuS === undefined ? {} : { cpuS: run.done.cpuS }),
    exitReason: run.exitReason,
  };
}

/**
 * Runs the real build and the fix-removed build side by side, each its own service process on its own
 * stepped clock, through the same plan, and judges each in absolute terms: bytes retained per WS
 * message, per listing turn and per simulated hour, and that growth at the production profile against
 * the unit's MemoryHigh headroom. The real build must pass; the fix-removed build must fail the same
 * judgement, or the soak has no teeth.
 */
export async function runSoak(options: SoakOptions): Promise<SoakRan> {
  const plan = options.plan ?? SOAK_PLAN;
  const profileConfig = ProfileConfig.parse(options.profile ?? {});
  const loadAtStart = loadavg()[0] ?? 0;
  const memoryHigh = profileConfig.memoryHighMb === undefined ? await readMemoryHigh(options.root) : { ok: true as const, mb: profileConfig.memoryHighMb, source: 'the profile' };
  const common = {
    root: options.root,
    plan,
    wallCapMs: (options.wallCapS ?? SOAK_WALL_CAP_S) * 1000,
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
        ? runSoakChild({ ...common, plan: build === 'real' ? plan : teethPlan(plan), script: script.script, build, ...(heap ? { heapDir: work } : {}) })
        : Promise.resolve({ samples: [], exitReason: `did not start: ${script.reason}`, wallS: 0, snapshots: {} });
    // A child's heap pairs are read as soon as it is done, beside the other child's last phases; a
    // child writes a pair only around a phase that grew, and the verdict keeps the failing units' readings.
    const runAndRead = async (build: SoakBuildName) => {
      const child = await run(build);
      const source = `soak: ${NAMES[build === 'real' ? 'real' : 'fixRemoved']}`;
      const units = heap ? UNITS.filter((u) => child.snapshots[`${u}-first`] && child.snapshots[`${u}-last`]) : [];
      const reads: WhatGrewReport[] = [];
      for (const u of units) reads.push(await readSoakHeap(source, child, u));
      return { child, reads };
    };
    const [{ child: real, reads: realReads }, { child: before, reads: beforeReads }] = await Promise.all([runAndRead('real'), runAndRead('fix-removed')]);
    const peakRssMb = Math.max(0, ...real.samples.map((s) => s.rssMb));
    const profile: ProductionProfile = {
      symbols: profileConfig.symbols,
      msgPerSecond: profileConfig.msgPerSecond ?? msgPerSecondFor(profileConfig.symbols, profileConfig.timeframes),
      listingTurnsPerDay: profileConfig.listingTurnsPerDay,
      daysBetweenRestarts: profileConfig.daysBetweenRestarts,
      memoryHighMb: memoryHigh.ok ? memoryHigh.mb : 0,
      memoryHighSource: memoryHigh.ok ? memoryHigh.source : memoryHigh.reason,
      headroomMb: (memoryHigh.ok ? memoryHigh.mb : 0) - peakRssMb,
    };
    const judged = { real: judgeBuild(real.samples, profile, UNIT_TOLERANCE), fixRemoved: judgeBuild(before.samples, profile, UNIT_TOLERANCE) };
    const builds = { real: summarize('real', real, judged.real), fixRemoved: summarize('fixRemoved', before, judged.fixRemoved) };
    // Each unit that failed is shown with the reading around more of its own phase's work, or why there is none.
    const whatGrew = (
      await Promise.all(
        (['real', 'fixRemoved'] as const).flatMap((key) =>
          builds[key].units
            .filter((u) => !u.ok)
            .map((u) => (key === 'real' ? realReads : beforeReads).find((r) => r.unit === u.unit) ?? (heap ? readSoakHeap(`soak: ${NAMES[key]}`, key === 'real' ? real : before, u.unit) : undefined)),
        ),
      )
    ).filter((r): r is WhatGrewReport => r !== undefined);
    return verdict({ builds, whatGrew, plan, profile, memoryHighOk: memoryHigh.ok, loadAtStart });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

interface Judged {
  builds: SoakRan['builds'];
  whatGrew: WhatGrewReport[];
  plan: SoakPlan;
  profile: ProductionProfile;
  memoryHighOk: boolean;
  loadAtStart: number;
}

/** What holds a unit's growth in one build, from its reading: the top row's retainer path. */
function heldBy(whatGrew: readonly WhatGrewReport[], source: string, unit: UnitName): string {
  const reading = whatGrew.find((w) => w.source === source && w.unit === unit)?.result;
  const top = reading?.ok ? reading.rows[0] : undefined;
  return top ? `; held by ${top.retainerPath}${top.retainerShare === undefined ? '' : ` (${Math.round(top.retainerShare * 100)}%)`} [${top.kind}]` : '';
}

function failures(key: 'real' | 'fixRemoved', b: SoakBuild, whatGrew: readonly WhatGrewReport[]): string[] {
  const source = `soak: ${NAMES[key]}`;
  const units = b.units.filter((u) => !u.ok).map((u) => `${NAMES[key]} ${u.message}${heldBy(whatGrew, source, u.unit)}`);
  const p = b.projection;
  const projected = p?.reachesHeadroom ? [`${NAMES[key]} projects ${p.mbPerDay.toFixed(1)} MB/day (≥ ${p.mbPerDayLo.toFixed(1)}) at the profile, into the MemoryHigh headroom within ${(p.daysToHeadroomLo ?? 0).toFixed(1)} days`] : [];
  const fit = b.fit.ok ? [] : [`${NAMES[key]}: ${b.fit.reason}`];
  return [...fit, ...units, ...projected];
}

function verdict({ builds, whatGrew, plan, profile, memoryHighOk, loadAtStart }: Judged): SoakRan {
  const rotation = rotationFor(plan);
  const base = {
    ran: true as const,
    plan: { ...plan, topN: soakServiceConfig(plan).topN, rotationStep: rotation.step },
    profile,
    tolerance: { ...UNIT_TOLERANCE },
    targets: { ...UNIT_TARGETS },
    loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
    builds,
    whatGrew,
  };
  const broken = (['real', 'fixRemoved'] as const).filter((k) => builds[k].exitReason !== 'done');
  if (broken.length) return { ...base, ok: false, message: broken.map((k) => `${NAMES[k]} ${builds[k].exitReason}`).join('; ') };
  const problems: string[] = [];
  if (!memoryHighOk) problems.push(`no MemoryHigh to judge against: ${profile.memoryHighSource}`);
  problems.push(...failures('real', builds.real, whatGrew));
  const ccxt = judgeCcxtBound(builds.real.samples);
  if (!ccxt.ok) problems.push(`real build: ${ccxt.message}`);
  // The targets are measured, not gated: a noisy run says what it could not see, beside its verdict.
  const short = (builds.real.fit.ok ? builds.real.fit.slopes : [])
    .filter((s) => s.floor > UNIT_TARGETS[s.unit])
    .map((s) => `this run sees ≥ ${UNIT_WORDS[s.unit].bytes(s.floor)} ${UNIT_WORDS[s.unit].per}, short of the ${UNIT_WORDS[s.unit].bytes(UNIT_TARGETS[s.unit])} target`);
  if (builds.fixRemoved.ok) problems.push('the fix-removed build passed the same judgement: the soak has no teeth');
  const teeth = failures('fixRemoved', builds.fixRemoved, whatGrew);
  const p = builds.real.projection;
  const projected = p ? `real build projects ${p.mbPerDay.toFixed(1)} MB/day [${p.mbPerDayLo.toFixed(1)}, ${p.mbPerDayHi.toFixed(1)}] at ${profile.msgPerSecond.toFixed(0)} msg/s, ${profile.listingTurnsPerDay} listings/day (headroom ${profile.headroomMb.toFixed(0)} MB)` : '';
  if (problems.length) return { ...base, ok: false, message: [...problems, ...short].join('; ') };
  return { ...base, ok: true, message: [`${projected}; every unit holds`, ...short, `fix-removed build flagged: ${teeth.join('; ')}`].join('; ') };
}
