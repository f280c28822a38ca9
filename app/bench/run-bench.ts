import { Command, InvalidArgumentError } from 'commander';
import { validate } from '../../reports/schemas/common.ts';
import { BenchResult } from '../../reports/schemas/bench-result.ts';
import { renderJson } from '../../reports/render/json.ts';
import { writeReport } from '../../reports/write-report.ts';
import type { BenchConfig } from './bench-config.ts';
import { DEFAULT_CONFIG, QUICK_CONFIG, SCENARIOS } from './bench-config.ts';
import { CONTENDER_NAMES } from './contenders.ts';
import { isolatedMeasure } from './measure-isolated.ts';
import { renderBenchMarkdown, renderBenchTable } from './render-bench.ts';
import { runBenchSuite } from './run-bench-suite.ts';

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
};

const program = new Command('bench')
  .description('Candle caches side by side: ccxt ArrayCacheByTimestamp, push + slice(-max), OhlcvRing')
  .option('--quick', 'one rep, fewer ticks (also BENCH_QUICK=1)')
  .option('--reps <n>', 'repetitions per implementation and scenario', positiveInt)
  .option('--ticks <n>', 'timed ticks per measurement', positiveInt)
  .option('--no-write', 'print only; do not write reports/out/bench')
  .option('--service', 'instead: the rated WS capacity of the service, 1 and 2 shards, against the bare-ws floor (app/bench/service/)')
  .option('--window <s>', 'with --service: measured seconds per probe (default 60: one simulated hour at speed 60)', positiveInt)
  .option('--max-probes <n>', 'with --service: probes per capacity search', positiveInt)
  .option('--start-rate <n>', 'with --service: the first offered msg/s of the 1-shard search (default 4000)', positiveInt)
  .parse();
const opts = program.opts<{ quick?: boolean; reps?: number; ticks?: number; write: boolean; service?: boolean; window?: number; maxProbes?: number; startRate?: number }>();

function fail(message: string): never {
  console.error(`bench: ${message}`);
  process.exit(1);
}

if (opts.service) {
  const { runServiceBench, SERVICE_BENCH_DEFAULTS: d } = await import('./service/run-service-bench.ts');
  const run = await runServiceBench({ ...d, root: process.cwd(), windowSeconds: opts.window ?? d.windowSeconds, search: { ...d.search, maxProbes: opts.maxProbes ?? d.search.maxProbes, startRate: opts.startRate ?? d.search.startRate }, write: opts.write });
  if (!run.ok) fail(String(run.summary.reason));
  process.exit(0);
}

const base = opts.quick || process.env.BENCH_QUICK === '1' ? QUICK_CONFIG : DEFAULT_CONFIG;
const config: BenchConfig = { ...base, reps: opts.reps ?? base.reps, ticks: opts.ticks ?? base.ticks };
console.log(`bench: ${config.keys} keys × cap ${config.cap}, ${config.ticks} ticks, ${config.reps} reps, one process per measurement`);
const suite = await runBenchSuite(config, {
  scenarios: SCENARIOS,
  implementations: CONTENDER_NAMES,
  measure: isolatedMeasure(),
  onSample: (s, rep) =>
    console.log(`  rep ${rep + 1} ${s.scenario.padEnd(4)} ${s.implementation.padEnd(17)} ${Math.round(s.appendsPerSec)}/s`),
});
if (!suite.ok) fail(suite.reason);
const result = suite.output;

console.log(`\n${renderBenchTable(result)}\n`);
for (const t of result.targets) if (t.pass === false) console.log(`target missed: ${t.implementation} ${t.metric} ${t.op} ${t.value} (got ${t.actual?.toFixed(2)})`);

const checked = validate(BenchResult, result, 'bench result');
if (!checked.ok) fail(checked.reason);
if (opts.write) {
  // The full result (a superset of the schema: cleanup p99, GC events, targets) is what gets written.
  const written = await writeReport('bench', { json: renderJson(result), md: renderBenchMarkdown(result) });
  if (!written.ok) fail(written.reason);
  console.log(`wrote ${Object.values(written.paths).join(', ')} and latest.{json,md}`);
}
