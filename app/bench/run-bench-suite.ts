import { cpus, loadavg, totalmem } from 'node:os';
import { SCHEMA_VERSION } from '../../reports/schemas/common.ts';
import { withCcxtRatios } from '../../reports/schemas/bench-result.ts';
import type { BenchResult, BenchRow } from '../../reports/schemas/bench-result.ts';
import type { BenchConfig, Scenario, Target } from './bench-config.ts';
import { CCXT, TARGETS } from './bench-config.ts';
import { median, medianOrNull } from './measure.ts';
import type { Measure } from './measure-in-process.ts';
import type { Sample } from './measure-once.ts';

/** A BenchResult row plus what its schema does not carry yet (see the caches report). */
export type BenchOutputRow = BenchRow & Pick<
  Sample,
  'appendsPerSecOverall' | 'eldBaselineP99Ms' | 'gcBaselineMs' | 'cleanupP99Ms' | 'gcEvents' | 'retainedCandles'
>;

export interface TargetOutcome extends Target {
  /** The worst value over the scenarios the target covers; null when not measured. */
  actual: number | null;
  pass: boolean | null;
}

export type BenchOutput = Omit<BenchResult, 'rows'> & {
  rows: BenchOutputRow[];
  ticks: number;
  loadAvg1m: number;
  targets: TargetOutcome[];
};

export interface SuiteOptions {
  scenarios: readonly Scenario[];
  implementations: readonly string[];
  measure: Measure;
  now?: () => Date;
  onSample?: (sample: Sample, rep: number) => void;
}

/**
 * Runs every (implementation, scenario) `config.reps` times, rotating the implementation order each rep
 * so no design always runs first on a cold or busy machine, and reports medians.
 */
export async function runBenchSuite(
  config: BenchConfig,
  options: SuiteOptions,
): Promise<{ ok: true; output: BenchOutput } | { ok: false; reason: string }> {
  const startedAt = (options.now ?? (() => new Date()))().toISOString();
  const names = options.implementations;
  const samples: Sample[] = [];
  for (let rep = 0; rep < config.reps; rep++) {
    const order = [...names.slice(rep % names.length), ...names.slice(0, rep % names.length)];
    for (const scenario of options.scenarios) {
      for (const implementation of order) {
        const measured = await options.measure(implementation, scenario, config);
        if (!measured.ok) return measured;
        samples.push(measured.sample);
        options.onSample?.(measured.sample, rep);
      }
    }
  }
  const rows = medianRows(samples, options);
  const cpu = cpus();
  const output: BenchOutput = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'bench',
    startedAt,
    machine: {
      cpuModel: cpu[0]?.model ?? 'unknown',
      cpus: Math.max(1, cpu.length),
      totalMemMb: totalmem() / 2 ** 20,
      platform: process.platform,
      arch: process.arch,
    },
    node: process.version,
    reps: config.reps,
    keys: config.keys,
    cap: config.cap,
    ticks: config.ticks,
    loadAvg1m: loadavg()[0] ?? 0,
    rows,
    targets: TARGETS.map((target) => evaluate(target, rows)),
  };
  return { ok: true, output };
}

function medianRows(samples: readonly Sample[], options: SuiteOptions): BenchOutputRow[] {
  const rows = options.scenarios.flatMap((scenario) =>
    options.implementations.map((implementation) => {
      const mine = samples.filter((s) => s.implementation === implementation && s.scenario === scenario.name);
      const of = (pick: (s: Sample) => number) => median(mine.map(pick));
      return {
        implementation,
        scenario: scenario.name,
        appendsPerSec: of((s) => s.appendsPerSec),
        appendsPerSecOverall: of((s) => s.appendsPerSecOverall),
        bytesPerCandle: of((s) => s.bytesPerCandle),
        eldP99Ms: of((s) => s.eldP99Ms),
        eldBaselineP99Ms: of((s) => s.eldBaselineP99Ms),
        gcMs: of((s) => s.gcMs),
        gcBaselineMs: of((s) => s.gcBaselineMs),
        cleanupP99Ms: medianOrNull(mine.map((s) => s.cleanupP99Ms)),
        gcEvents: of((s) => s.gcEvents),
        retainedCandles: of((s) => s.retainedCandles),
      };
    }),
  );
  const ratios = withCcxtRatios(rows, CCXT);
  return rows.map((row, i) => ({ ...row, vsCcxt: ratios[i]?.vsCcxt ?? null }));
}

function evaluate(target: Target, rows: readonly BenchOutputRow[]): TargetOutcome {
  const covered = rows.filter(
    (r) => r.implementation === target.implementation && (target.scenario === null || r.scenario === target.scenario),
  );
  const values = covered.map((r) => (target.metric === 'appendsVsCcxt' ? (r.vsCcxt?.appendsPerSec ?? null) : r[target.metric]));
  if (values.length === 0 || values.some((v) => v === null)) return { ...target, actual: null, pass: null };
  const present = values as number[];
  const actual = target.op === '>=' ? Math.min(...present) : Math.max(...present);
  const pass = target.op === '>=' ? actual >= target.value : target.op === '<=' ? actual <= target.value : actual < target.value;
  return { ...target, actual, pass };
}
