import { statSync } from 'node:fs';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import type { SoakMessage } from './soak-protocol.ts';

/**
 * Writes one heap snapshot of this soak child into `dir` and returns the message that reports it.
 * Simulated time stands still while it is written; only the wall clock pays for it.
 */
export function writeSoakSnapshot(dir: string, build: string, at: 'before' | 'after'): SoakMessage {
  // Node 20's V8 locates every function for the snapshot by scanning its script from the start unless
  // the script's line ends are cached: quadratic for a one-file bundle (34 s for a 38 MB snapshot, 2 s
  // after this). Formatting a stack trace through the bundle caches them.
  void new Error('cache the bundle script line ends').stack;
  const t0 = performance.now();
  const file = writeHeapSnapshot(join(dir, `${build}-${at}.heapsnapshot`));
  return { type: 'snapshot', at, file, ms: performance.now() - t0, mb: statSync(file).size / (1024 * 1024) };
}
