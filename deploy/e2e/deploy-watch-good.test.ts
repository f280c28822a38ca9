// @module-tag e2e
// @module-tag vps
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeVps } from '../testing/vps-vitest.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { makeBuild, runCli } from './e2e-support.ts';
import { bootWatchHost, hostOf, watchArgs } from './watch-support.ts';

describeVps("the deploy watch passes today's build on a real VPS at 2,500 msg/s, in QA units", () => {
  let vps: Vps;
  beforeAll(async () => {
    vps = await bootWatchHost();
  }, 300_000);
  afterAll(async () => {
    await vps?.stop();
  });
  const args = (root: string, watch: string[]) => watchArgs(vps, root, watch);

  // Shorter than the leak's 3 minutes (CI time), with the warm-up past the first ~90 s in which the heap
  // still creeps (JIT, ccxt's caches filling): 0.7 B/message at the lower bound projected to MemoryHigh in 2.7 days.
  it("today's build passes a short watch, and the evidence states the floor it reached", async () => {
    const r = await runCli('deploy/deploy.ts', args(await makeBuild('units-good'), ['--watch', '150s', '--warmup', '90s', '--cleanup-interval', '3s']), { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    const host = hostOf(r.stdout);
    const units = host.memory?.units;
    expect(host.memory?.source).toBe('VmRSS');
    expect(units?.msgPerSecond).toBeGreaterThan(1_500);
    expect(units?.floors[0]).toMatch(/^this watch could see ≥ [\d.,]+ B\/message$/);
    expect(units?.units.find((u) => u.unit === 'message')?.floor).toBeLessThan(16);
    // The configured interval is back on the confirmed release, proven by a restart.
    expect(host.steps.find((s) => s.name === 'interval-restore')?.ok).toBe(true);
    expect((await vps.exec(['test', '-e', `${vps.appDir}/watch.env`])).code).toBe(1);
    console.log(`[measure] today's build, 150 s watch (90 s warm-up): ${String(units?.samples)} retained samples at ${String(units?.msgPerSecond.toFixed(0))} msg/s; ${units?.floors.join('; ') ?? ''}`);
  }, 330_000);
});
