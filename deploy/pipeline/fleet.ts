import type { HostRun } from './host-run.ts';

/** Canary first, then batches of `batch` hosts. */
export function fleetBatches<T>(hosts: readonly T[], batch: number): T[][] {
  const [canary, ...rest] = hosts;
  if (canary === undefined) return [];
  const out: T[][] = [[canary]];
  for (let i = 0; i < rest.length; i += Math.max(1, batch)) out.push(rest.slice(i, i + Math.max(1, batch)));
  return out;
}

/** Worst exit code wins: 4 unverified > 3 locked > 2 usage > 1 restored > 0. */
export const fleetExit = (runs: readonly HostRun[]): number => runs.reduce((a, r) => Math.max(a, r.exitCode), 0);

/**
 * Rolling deploy: first `checkOne` runs on every host (connect, preflight), and if any fails nothing is
 * changed anywhere. Then batches run in order, hosts in a batch in parallel; the first failure stops
 * the rollout. With `rollbackFleet`, hosts already deployed in this run are rolled back and say so.
 */
export async function runFleet<T>(
  hosts: readonly T[],
  batch: number,
  deployOne: (host: T) => Promise<HostRun>,
  rollbackOne: ((host: T, reason: string) => Promise<HostRun>) | undefined,
  checkOne?: (host: T) => Promise<HostRun>,
): Promise<HostRun[]> {
  if (checkOne) {
    const checks = await Promise.all(hosts.map(checkOne));
    const bad = checks.find((r) => r.exitCode !== 0);
    if (bad) return checks.map((r) => (r.exitCode !== 0 ? r : { ...r, reason: `not started: ${bad.name} failed its check` }));
  }
  const done: { host: T; run: HostRun }[] = [];
  let failed: HostRun | undefined;
  for (const group of fleetBatches(hosts, batch)) {
    const runs = await Promise.all(group.map(async (host) => ({ host, run: await deployOne(host) })));
    done.push(...runs);
    failed = runs.find((r) => r.run.exitCode !== 0)?.run;
    if (failed) break;
  }
  const results = done.map((d) => d.run);
  if (failed && rollbackOne) {
    const reason = `fleet stopped: ${failed.name} failed (${failed.reason})`;
    for (const d of done.filter((x) => x.run.finalState === 'deployed')) {
      const rb = await rollbackOne(d.host, reason);
      const merged: HostRun = { ...d.run, steps: [...d.run.steps, ...rb.steps], rollback: rb.rollback, finalState: rb.exitCode === 0 ? 'rolled-back' : 'failed', exitCode: rb.exitCode === 0 ? 1 : 4, reason };
      results[results.indexOf(d.run)] = merged;
    }
  }
  return results;
}
