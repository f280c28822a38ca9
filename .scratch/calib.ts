import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSoakBundle } from '../checks/soak/soak-bundle.ts';
import { runSoakChild } from '../checks/soak/soak-child.ts';
import { SOAK_PLAN } from '../checks/soak/soak-config.ts';
import { fitUnits } from '../reports/units/unit-fit.ts';
const root = process.cwd();
const work = await mkdtemp('/tmp/i18-calib-');
const t0 = performance.now();
const b = await buildSoakBundle(root, work);
if (!b.ok) throw new Error(b.reason);
console.log('bundle', ((performance.now() - t0) / 1000).toFixed(1));
const builds = (process.argv[2] ?? 'real').split(',') as ('real' | 'fix-removed')[];
const heap = process.argv[3] === 'heap';
const plan = process.env.PLAN ? JSON.parse((await import("node:fs")).readFileSync(process.env.PLAN, "utf8")) : SOAK_PLAN;
const runs = await Promise.all(builds.map((build) => runSoakChild({ root, build, plan, wallCapMs: 600_000, bootTimeoutMs: 120_000, script: b.script, ...(heap ? { heapDir: work } : {}) })));
for (const [i, r] of runs.entries()) {
  console.log(builds[i], r.exitReason, 'wall', r.wallS.toFixed(1), JSON.stringify(r.done), JSON.stringify(r.snapshots));
  for (const s of r.samples) console.log(s.phase, s.tS.toFixed(1), s.messages, s.listingTurns, s.simH.toFixed(2), s.retainedMb.toFixed(3), s.rssMb.toFixed(1), s.tracked, s.ccxtSymbols);
  const fit = fitUnits(r.samples.map((s) => ({ retainedBytes: s.retainedMb * 1048576, messages: s.messages, listingTurns: s.listingTurns, hours: s.simH, phase: s.phase })));
  console.log(JSON.stringify(fit));
}
console.log('total', ((performance.now() - t0) / 1000).toFixed(1));
if (heap) {
  const { whatGrew } = await import('../checks/heap/what-grew.ts');
  for (const r of runs) for (const ph of (process.env.PHASES ?? 'hour').split(',')) {
    const a = r.snapshots[`${ph}-first` as 'hour-first'], z = r.snapshots[`${ph}-last` as 'hour-last'];
    if (!a || !z) continue;
    const t = performance.now();
    const g = await whatGrew({ before: a.file, after: z.file });
    console.log(ph, 'analysis', ((performance.now() - t) / 1000).toFixed(1), 's', JSON.stringify(g, null, 1).slice(0, 3000));
  }
}
