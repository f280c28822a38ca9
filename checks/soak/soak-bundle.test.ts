// @module-tag e2e
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSoakBundle } from './soak-bundle.ts';
import { runSoakChild } from './soak-child.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('the soak bundle', () => {
  it('runs the service as it ships (bare node, one ccxt exchange) through a short workload of the fix-removed build', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'leakproof-soak-bundle-'));
    try {
      const built = await buildSoakBundle(root, dir);
      if (!built.ok) throw new Error(built.reason);
      expect(built.script).toMatch(/soak-entry\.mjs$/);
      const run = await runSoakChild({ root, script: built.script, build: 'fix-removed', simHours: 1, wallCapMs: 120_000, bootTimeoutMs: 120_000 });
      expect(run.exitReason).toBe('done');
      expect(run.samples).toHaveLength(3);
      // Without the fix nothing evicts: every listing turn's new symbols stay in ccxt.
      expect(Math.max(...run.samples.map((s) => s.ccxtSymbols))).toBeGreaterThan(10);
      // Bare node with one exchange: a tsx run that imports all of ccxt starts near 70 MB of heap.
      expect(run.samples[0]!.heapMb).toBeLessThan(50);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
