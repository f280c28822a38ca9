import { statSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { SoakPhase } from '../../reports/schemas/qa-result.ts';
import type { SoakMessage } from './soak-protocol.ts';

/**
 * Writes one heap snapshot of this soak child into `dir` and returns the message that reports it.
 * Simulated time stands still while it is written; only the wall clock pays for it.
 */
export function writeSoakSnapshot(dir: string, build: string, phase: SoakPhase, edge: 'first' | 'last'): SoakMessage {
  const t0 = performance.now();
  const file = writeHeapSnapshot(join(dir, `${build}-${phase}-${edge}.heapsnapshot`));
  return { type: 'snapshot', phase, edge, file, ms: performance.now() - t0, mb: statSync(file).size / (1024 * 1024) };
}

/**
 * Node 20's V8 locates every function for a snapshot by scanning its script from the start unless the
 * script's line ends are cached: quadratic for a one-file bundle (34 s for a 38 MB snapshot, 2 s after
 * this). Formatting a stack trace through the bundle caches them. Called once before the first sample,
 * so the cache (about a MB that stays) is not a step inside a judged phase.
 */
export function cacheLineEnds(): void {
  void new Error('cache the bundle script line ends').stack;
}
