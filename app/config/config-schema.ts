import { z } from 'zod';
import { DEFAULT_COMPONENT_BOUNDS } from '../caches/ohlcv-limits.ts';

/**
 * The service configuration. Every field has a default so that `npm start` with no file runs the whole
 * service against the loopback emulator. Messages are short reasons; the loader prefixes the field path.
 */

const seconds = z
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(1, 'must be ≥ 1')
  .max(86_400 * 7, 'must be ≤ 604800');

const count = (max: number) =>
  z
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be ≥ 1')
    .max(max, `must be ≤ ${max}`);

const timeframe = z.string().regex(/^\d+[mhdwM]$/, 'must be a timeframe such as 1m, 5m, 4h, 1d');

const refreshSchema = z
  .object({
    tickerSeconds: seconds.default(60),
    orderbookSeconds: seconds.default(60),
    tradesSeconds: seconds.default(60),
    openInterestSeconds: seconds.default(300),
    openInterestHistorySeconds: seconds.default(3600),
    longShortRatioSeconds: seconds.default(3600),
    /** How often a topN universe is re-ranked; rotated-out symbols are evicted by the next cleanup. */
    universeSeconds: seconds.default(3600),
    /** Per timeframe; a timeframe missing here refreshes every 60 candles. */
    ohlcvSeconds: z.record(timeframe, seconds).default({ '1m': 300, '5m': 900, '30m': 3600, '4h': 14400 }),
    /** REST calls in flight at once across all components. */
    concurrency: count(64).default(4),
  })
  .strict()
  .prefault({});

const limitsSchema = z
  .object({
    /** Overrides of the per-timeframe OHLCV limits (defaults: 1m 1440, 5m 864, ... other 1000); `other` too. */
    ohlcv: z.record(z.union([timeframe, z.literal('other')]), count(100_000)).default({}),
    oiHistory: count(100_000).default(DEFAULT_COMPONENT_BOUNDS.openInterestHistory),
    trades: count(100_000).default(DEFAULT_COMPONENT_BOUNDS.trades),
    liquidations: count(100_000).default(DEFAULT_COMPONENT_BOUNDS.liquidations),
    longShortRatio: count(100_000).default(288),
    orderbookDepth: count(1000).default(50),
  })
  .strict()
  .prefault({});

const rate = z.number({ error: 'must be a number' }).min(0, 'must be ≥ 0').max(1, 'must be ≤ 1');
const wholeMs = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be ≥ 0');

/** The emulator's fault switches (app/sim/faults.ts), as rates so they can be set from the environment. */
const faultsSchema = z
  .object({
    rateLimit: z.object({ rate: rate.default(0) }).strict().prefault({}),
    serverError: z.object({ rate: rate.default(0) }).strict().prefault({}),
    slow: z.object({ rate: rate.default(0), delayMs: wholeMs.default(2000) }).strict().prefault({}),
    /** Every Nth kline row is malformed; 0 = off. */
    malformedEvery: wholeMs.default(0),
    wsDisconnectEveryMs: wholeMs.default(0),
  })
  .strict()
  .prefault({});

export const configSchema = z
  .object({
    exchange: z.enum(['sim', 'bybit'], { error: "must be 'sim' or 'bybit'" }).default('sim'),
    /** Explicit universe; empty means the top `topN` symbols of the exchange. */
    symbols: z.array(z.string().min(1, 'must not be empty')).default([]),
    topN: count(1000).default(10),
    timeframes: z.array(timeframe).min(1, 'must list at least one timeframe').default(['1m', '5m', '30m', '4h']),
    refresh: refreshSchema,
    limits: limitsSchema,
    cleanup: z
      .object({
        enabled: z.boolean().default(true),
        intervalSeconds: seconds.default(600),
      })
      .strict()
      .prefault({}),
    http: z
      .object({
        host: z.string().min(1, 'must not be empty').default('127.0.0.1'),
        port: z
          .number({ error: 'must be a port number' })
          .int('must be a whole number')
          .min(0, 'must be ≥ 0')
          .max(65_535, 'must be ≤ 65535')
          .default(9400),
        /** /healthz fails when the event-loop delay p99 exceeds this. */
        maxEventLoopDelayMs: count(60_000).default(1000),
      })
      .strict()
      .prefault({}),
    log: z
      .object({
        format: z.enum(['json', 'pretty'], { error: "must be 'json' or 'pretty'" }).default('json'),
        level: z
          .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
            error: 'must be one of trace, debug, info, warn, error, fatal, silent',
          })
          .default('info'),
      })
      .strict()
      .prefault({}),
    sim: z
      .object({
        symbols: count(2000).default(20),
        seed: z.number().int('must be a whole number').default(42),
        /** Simulated seconds per real second. */
        speed: z.number().positive('must be > 0').max(100_000, 'must be ≤ 100000').default(1),
        /** WebSocket messages per real second across all symbols. */
        msgRate: z.number().min(0, 'must be ≥ 0').max(1_000_000, 'must be ≤ 1000000').default(200),
        faults: faultsSchema,
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type ServiceConfig = z.infer<typeof configSchema>;

/** Secrets come from the environment only, so they never sit in a config file or in its parsed echo. */
export interface Secrets {
  apiKey?: string;
  secret?: string;
}
