// @module-tag e2e
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SoakBuild } from '../../reports/schemas/qa-result.ts';
import { plannedWork } from './planned-work.ts';
import { runSoak, teethPlan } from './run-soak.ts';
import { SOAK_PLAN } from './soak-config.ts';
import { startCpuHog } from './testing/cpu-hog.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** What a build sampled, messages aside (a burst stops at the first push past its target). */
const work = (samples: ReadonlyArray<{ phase: string; listingTurns: number; simH: number }>) => samples.map((x) => [x.phase, x.listingTurns, x.simH.toFixed(6)]);
/** Messages of each message-phase block: each burst reaches its target, however slowly. */
const blockMessages = (b: SoakBuild) => b.samples.filter((s) => s.phase === 'message').map((s, i, all) => (i === 0 ? 0 : s.messages - (all[i - 1]?.messages ?? 0))).slice(1);

describe('the soak verdict under CPU load', () => {
  it('beside two busy-loop processes: the planned work, sample for sample, and the idle verdict (real build passes, fix-removed flagged)', async () => {
    const hog = startCpuHog({ maxS: 600 });
    const started = performance.now();
    // The QA soak's own plan; the heap reading is not part of the verdict.
    let hogCpuS: number[] = [];
    const loaded = await runSoak({ root, heapReading: false }).finally(async () => (hogCpuS = await hog.stop()));
    const wallS = (performance.now() - started) / 1000;
    const { real, fixRemoved } = loaded.builds;
    console.log(
      `[measure] soak beside the hog ${loaded.ok ? 'pass' : 'fail'} (real ${real.wallS.toFixed(0)} s, fix-removed ${fixRemoved.wallS.toFixed(0)} s); ` +
        `hog CPU ${hogCpuS.map((s) => s.toFixed(0)).join(' + ')} s; load ${loadavg()[0]?.toFixed(1)}`,
    );
    // The hog was real: together the busy children held a share of a core for the whole soak (beside
    // CI's other test worker 0.46 of one, alone about 0.9, on a machine already at load 12 still 0.21).
    expect(hogCpuS.reduce((a, b) => a + b, 0)).toBeGreaterThan(wallS * 0.15);
    expect(work(real.samples)).toEqual(work(await plannedWork(SOAK_PLAN)));
    expect(work(fixRemoved.samples)).toEqual(work(await plannedWork(teethPlan(SOAK_PLAN))));
    for (const [build, plan] of [[real, SOAK_PLAN], [fixRemoved, teethPlan(SOAK_PLAN)]] as const) {
      expect(Math.min(...blockMessages(build))).toBeGreaterThanOrEqual(plan.messagesPerBlock);
    }
    // The verdict on today's app, as an idle `npm run qa` gives it.
    expect(real.units.filter((u) => !u.ok).map((u) => u.unit), loaded.message).toEqual([]);
    expect(fixRemoved.ok, loaded.message).toBe(false);
    expect(loaded.ok, loaded.message).toBe(true);
  }, 600_000);
});
