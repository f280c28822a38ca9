/**
 * `npm run bench:static`: the static checks' cold time, the budget issue #8 sets (under 4 s on this 2-core
 * machine, type checker included). Each run is a fresh process; wall time depends on the machine's load,
 * so the load average is printed with it, and CPU time (user + system) as the load-independent figure.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { parseJsonLine } from '../../app/core/json-line.ts';
import { describeFailure, runProcess } from '../../app/core/run-process.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./static-cold-child.ts', import.meta.url));
export const STATIC_BUDGET_MS = 4000;

const ColdRun = z.object({ wallMs: z.number(), cpuMs: z.number(), findings: z.number().int(), failed: z.number().int() });
type ColdRun = z.infer<typeof ColdRun>;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function coldRun(root: string): Promise<ColdRun> {
  const r = await runProcess([process.execPath, '--import', 'tsx', CHILD, root], { cwd: ROOT, timeoutMs: 120_000 });
  const sample = parseJsonLine(r.stdout.trim().split('\n').at(-1) ?? '', ColdRun);
  if (r.code !== 0 || sample === undefined) throw new Error(describeFailure(r));
  return sample;
}

async function main(): Promise<void> {
  const opts = new Command('bench:static')
    .description('cold time of the static checks (fresh process per run), with the load average')
    .option('--runs <n>', 'fresh processes, one after another', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 20) throw new InvalidArgumentError('an integer from 1 to 20');
      return n;
    }, 3)
    .option('--root <dir>', 'project root to check', ROOT)
    .parse()
    .opts<{ runs: number; root: string }>();
  const runs: ColdRun[] = [];
  const load: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    load.push(loadavg()[0]!);
    runs.push(await coldRun(opts.root));
  }
  const wallMs = Math.round(median(runs.map((r) => r.wallMs)));
  const cpuMs = Math.round(median(runs.map((r) => r.cpuMs)));
  const summary = { wallMs, cpuMs, budgetMs: STATIC_BUDGET_MS, withinBudget: wallMs < STATIC_BUDGET_MS, load1m: Number(median(load).toFixed(2)), runs };
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(`static checks cold: ${wallMs} ms wall (median of ${opts.runs}), ${cpuMs} ms CPU, budget ${STATIC_BUDGET_MS} ms, load ${summary.load1m}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:static: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(2);
});
