import { configSchema, type ServiceConfig } from '../../app/config/config-schema.ts';

/** Simulated seconds that make a component refresh only once in a soak: its first pass. */
const ONCE = 604_800;

/**
 * The fixed workload both builds get, in units of work, never of wall time: the same simulated hours,
 * the same listings and delistings (a function of simulated time), and the same number of WS messages.
 * A loaded machine makes a build take longer to get through it, not do less of it.
 */
export interface SoakWorkload {
  simHours: number;
  /** Simulated seconds per step; the driver waits for the service's REST calls before the next. */
  stepSimS: number;
  /** WS messages the emulator must have pushed per simulated minute before time moves on. */
  messagesPerSimMinute: number;
  /** A sample (after a full gc) every this many simulated minutes... */
  sampleEverySimMinutes: number;
  /**
   * ...this far into each period: away from the listing turn (0), the universe refresh after it and the
   * cleanups (every 5 minutes), so that every sample of the real build sees the same phase of its cycle.
   */
  sampleOffsetSimMinutes: number;
  /**
   * Samples before this are left out of the slope: the real build's bounded caches fill to their
   * bounds during the first turns, and that looks like growth (see checks/README.md).
   */
  warmupSimHours: number;
}

export const SOAK_WORKLOAD: SoakWorkload = {
  simHours: 6,
  stepSimS: 30,
  messagesPerSimMinute: 40,
  sampleEverySimMinutes: 20,
  sampleOffsetSimMinutes: 7.5,
  warmupSimHours: 1,
};

/** Listing turns: every 10 simulated minutes half of the listed USDT perps are delisted and as many listed. */
const ROTATION = { everySeconds: 600, listed: 10, step: 5 } as const;

/**
 * One config for both soak builds. The universe is every listed USDT perp (topN = listed), so each
 * listing turn brings new symbols through real ccxt: markets reload, the universe re-ranks, and the
 * real build evicts the delisted ones at its next cleanup. Each new symbol gets its full candle history
 * (the default limits of the default timeframes), which is what the original leaked. Only the store,
 * the cleanup and the eviction differ between the builds.
 */
export const SOAK_SERVICE_CONFIG: ServiceConfig = configSchema.parse({
  exchange: 'sim',
  topN: ROTATION.listed,
  universe: { rankMargin: 0 },
  timeframes: ['1m', '5m'],
  refresh: {
    tickerSeconds: ONCE,
    orderbookSeconds: ONCE,
    tradesSeconds: ONCE,
    openInterestSeconds: ONCE,
    openInterestHistorySeconds: ONCE,
    longShortRatioSeconds: ONCE,
    universeSeconds: 120,
    concurrency: 8,
  },
  cleanup: { enabled: true, intervalSeconds: 300 },
  http: { host: '127.0.0.1', port: 0 },
  log: { format: 'json', level: 'error' },
  // The message rate is real time: the driver pays each simulated minute in messages (SOAK_WORKLOAD) and
  // switches the stream off once paid, so a build gets at most one catch-up burst (100 ms worth) extra.
  sim: { symbols: 1000, seed: 7, speed: 600, msgRate: 3000, rotation: ROTATION },
});

/** The warm-up scales with the run: the workload's own for a full run, a sixth of a shorter one. */
export const warmupSimHoursFor = (simHours: number): number => Math.min(SOAK_WORKLOAD.warmupSimHours, simHours / 6);
