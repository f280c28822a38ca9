import { configSchema } from '../config/config-schema.ts';
import { createCcxtSource } from '../exchange/ccxt-source.ts';
import { buildRefreshJobs, type RefreshSink } from '../manager/refresh-jobs.ts';
import { RefreshScheduler, type JobLagStats } from '../manager/refresh-scheduler.ts';
import { startEmulator } from '../sim/emulator.ts';

export interface TrialOptions {
  symbols: number;
  /** Emulator clock speed; ccxt's throttle is scaled by it, so the budget holds in simulated time. */
  speed: number;
  callsPerSecond: number;
  /**
   * REST calls in flight. The clock multiplies each call's real latency by `speed`, so at the
   * service's 4 slots the slots would bind, not the budget; live, 4 slots x ~100 ms is 40 calls/s.
   */
  concurrency: number;
  warmupMs: number;
  windowMs: number;
  /** Sampling period of the lag, simulated ms. */
  sampleMs: number;
}

export interface TrialResult {
  symbols: number;
  /** Worst lag per job within the window (after warm-up), simulated ms. */
  worstLagMs: Record<string, number>;
  /** REST calls per simulated second achieved in the window: near the budget when the budget binds. */
  callsPerSimSecond: number;
}

/** A sink that keeps nothing: the bench measures the schedule, not the caches. History asks for the steady-state 3 points. */
const discard: RefreshSink = {
  isTracked: () => true,
  ohlcvLimit: () => 1000,
  ohlcvFetchSize: () => 3,
  historyFetchSize: () => 3,
  storeTicker: () => {},
  storeOrderBook: () => {},
  storeTrades: () => 0,
  storeOhlcv: () => 0,
  storeOpenInterest: () => {},
  storeOpenInterestHistory: () => 0,
  storeLongShortRatio: () => 0,
};

/** Each job's lag seen at one sample: the live overrun, and the last pass's if it ended in the window. */
export function windowLags(samples: ReadonlyArray<readonly JobLagStats[]>, passesAtStart: ReadonlyMap<string, number>): Record<string, number> {
  const worst: Record<string, number> = {};
  for (const sample of samples) {
    for (const j of sample) {
      const ended = j.passes > (passesAtStart.get(j.job) ?? 0) ? j.lastPassLagMs : 0;
      worst[j.job] = Math.max(worst[j.job] ?? 0, j.lagMs, ended);
    }
  }
  return worst;
}

/** The largest n in [lo, hi] (on a `step` grid) for which `ok(n)` holds, assuming it is monotone; lo - step when none. */
export async function largestPassing(lo: number, hi: number, step: number, ok: (n: number) => Promise<boolean>): Promise<number> {
  let good = lo - step;
  let a = Math.ceil(lo / step);
  let b = Math.floor(hi / step);
  while (a <= b) {
    const mid = Math.floor((a + b) / 2);
    if (await ok(mid * step)) {
      good = mid * step;
      a = mid + 1;
    } else b = mid - 1;
  }
  return good;
}

/** One trial: the service's default refresh plan for `symbols` symbols, through real ccxt against the emulator. */
export async function runTrial(o: TrialOptions): Promise<TrialResult> {
  // The default plan (intervals, timeframes); small pages, since the budget counts calls, not rows, and
  // parsing 1000 trades per call would make the bench measure this machine's CPU instead.
  const config = configSchema.parse({ limits: { trades: 50, orderbookDepth: 50 } });
  const emu = await startEmulator({ symbols: o.symbols, speed: o.speed, wsRate: 0 });
  const source = createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock: emu.clock, callsPerSecond: o.callsPerSecond, clockSpeed: o.speed });
  const lifetime = new AbortController();
  try {
    const symbols = (await source.loadSymbols()).slice(0, o.symbols);
    const scheduler = new RefreshScheduler({
      clock: emu.clock,
      concurrency: o.concurrency,
      signal: lifetime.signal,
      symbols: () => symbols,
      running: () => !lifetime.signal.aborted,
      onError: () => {},
    });
    const t0 = emu.clock.now();
    scheduler.start(buildRefreshJobs(source, discard, config));
    await emu.clock.sleep(o.warmupMs);
    const passesAtStart = new Map(scheduler.lagStats().map((j) => [j.job, j.passes]));
    const callsAtStart = source.stats().restCalls;
    const windowStart = emu.clock.now();
    const samples: JobLagStats[][] = [];
    while (emu.clock.now() - t0 < o.warmupMs + o.windowMs) {
      await emu.clock.sleep(o.sampleMs);
      samples.push(scheduler.lagStats());
    }
    const simSeconds = (emu.clock.now() - windowStart) / 1000;
    return { symbols: o.symbols, worstLagMs: windowLags(samples, passesAtStart), callsPerSimSecond: (source.stats().restCalls - callsAtStart) / simSeconds };
  } finally {
    lifetime.abort();
    await source.close();
    await emu.stop();
  }
}
