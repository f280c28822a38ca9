import type { BenchConfig, Scenario } from './bench-config.ts';
import { loadContender } from './contenders.ts';
import type { Gc } from './measure.ts';
import { resolveGc } from './measure.ts';
import type { Sample } from './measure-once.ts';
import { measureOnce } from './measure-once.ts';

export type Measured = { ok: true; sample: Sample } | { ok: false; reason: string };

/** One measurement of one design in one scenario, wherever it runs. */
export type Measure = (implementation: string, scenario: Scenario, config: BenchConfig) => Promise<Measured>;

/** Measures in this process: what the isolated child runs, and what tests drive directly. */
export function inProcessMeasure(gc: Gc = resolveGc()): Measure {
  return async (implementation, scenario, config) => {
    const loaded = await loadContender(implementation);
    if (!loaded.ok) return loaded;
    return { ok: true, sample: await measureOnce(loaded.contender, scenario, config, gc) };
  };
}
