import { Command, InvalidArgumentError } from 'commander';
import { largestPassing, runTrial, type TrialResult } from './rest-capacity.ts';

const positive = (value: string): number => {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError('must be a number > 0');
  return n;
};

const program = new Command('bench:rest')
  .description("How many symbols keep every refresh job on time at Bybit's REST budget (default plan, real ccxt, emulator's accelerated clock)")
  .option('--speed <x>', 'emulator clock speed (simulated s per real s)', positive, 30)
  .option('--calls-per-second <n>', 'REST budget, calls per simulated second', positive, 10)
  .option('--concurrency <n>', 'REST calls in flight (high, so the budget binds as it does live)', positive, 32)
  .option('--lo <n>', 'lowest symbol count tried', positive, 100)
  .option('--hi <n>', 'highest symbol count tried', positive, 300)
  .option('--step <n>', 'resolution of the search, symbols', positive, 10)
  .option('--warmup-minutes <n>', 'simulated warm-up not judged (the first passes all start at once)', positive, 10)
  .option('--window-minutes <n>', 'simulated window judged', positive, 30)
  .option('--threshold-seconds <n>', "'on time' = every job's lag stays under this", positive, 30)
  .parse();
const o = program.opts<{ speed: number; callsPerSecond: number; concurrency: number; lo: number; hi: number; step: number; warmupMinutes: number; windowMinutes: number; thresholdSeconds: number }>();

const trials: TrialResult[] = [];
const onTime = async (symbols: number): Promise<boolean> => {
  const r = await runTrial({ symbols, speed: o.speed, callsPerSecond: o.callsPerSecond, concurrency: o.concurrency, warmupMs: o.warmupMinutes * 60_000, windowMs: o.windowMinutes * 60_000, sampleMs: 10_000 });
  trials.push(r);
  const [worstJob, worstMs] = Object.entries(r.worstLagMs).sort((a, b) => b[1] - a[1])[0] ?? ['-', 0];
  const ok = Object.values(r.worstLagMs).every((ms) => ms < o.thresholdSeconds * 1000);
  // Late while spending well under the budget: the client (this machine), not the budget, was short.
  const machineBound = !ok && r.callsPerSimSecond < 0.9 * o.callsPerSecond;
  console.log(`${String(symbols).padStart(4)} symbols: ${ok ? 'on time' : machineBound ? 'LATE (machine-bound: lower --speed)' : 'LATE   '}  worst lag ${(worstMs / 1000).toFixed(1)}s (${worstJob}), ${r.callsPerSimSecond.toFixed(2)} calls/sim-s`);
  return ok;
};

console.log(
  `REST capacity: budget ${o.callsPerSecond} calls/s, speed ${o.speed}x, ${o.concurrency} in flight, warm-up ${o.warmupMinutes} min, window ${o.windowMinutes} min, on time = every job's lag < ${o.thresholdSeconds}s`,
);
const best = await largestPassing(o.lo, o.hi, o.step, onTime);
console.log(best >= o.lo ? `symbols kept on time: ${best} (resolution ${o.step})` : `symbols kept on time: fewer than ${o.lo}`);
