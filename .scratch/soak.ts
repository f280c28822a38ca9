import { runSoak } from '../checks/soak/run-soak.ts';
const t = performance.now();
const r = await runSoak({ root: process.argv[2] ?? process.cwd(), heapReading: process.argv[3] !== 'noheap' });
console.log(JSON.stringify({ ok: r.ok, message: r.message, profile: r.profile, load: r.loadAverage, real: { fit: r.builds.real.fit, proj: r.builds.real.projection, wall: r.builds.real.wallS, units: r.builds.real.units }, fix: { fit: r.builds.fixRemoved.fit, proj: r.builds.fixRemoved.projection, wall: r.builds.fixRemoved.wallS }, whatGrew: r.whatGrew.map((w) => ({ s: w.source, u: w.unit, rows: w.result.ok ? w.result.rows.slice(0, 3) : w.result.reason, ms: w.result.ok ? [w.result.analysisMs, w.result.snapshotMs] : 0 })) }, null, 1));
console.log('total', ((performance.now() - t) / 1000).toFixed(1));
