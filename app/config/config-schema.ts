import { z } from 'zod';
import { DEFAULT_COMPONENT_BOUNDS } from '../caches/ohlcv-limits.ts';
import { BYBIT_TIMEFRAME_NAMES, isBybitTimeframe } from '../caches/timeframe.ts';
import { BOOK_DEPTHS, bookDepthMessage } from '../exchange/book-depths.ts';

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

/** Only what Bybit serves klines for: `0m` or `90s` would make a refresh job that never fetches. */
const timeframe = z.string().refine((tf): boolean => isBybitTimeframe(tf), {
  error: (issue) => `${JSON.stringify(issue.input)} is not a kline interval Bybit serves (${BYBIT_TIMEFRAME_NAMES.join(', ')})`,
});

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
    /** The WS book's depth, which is also the REST book's: only depths ccxt and Bybit both accept. */
    orderbookDepth: z
      .number({ error: 'must be a number' })
      .refine((depth) => BOOK_DEPTHS.includes(depth), bookDepthMessage(BOOK_DEPTHS))
      .default(50),
  })
  .strict()
  .prefault({});

const coin = z.union([z.literal('any'), z.string().regex(/^[A-Z0-9]{2,12}$/, "must be a coin such as USDT or USDC, or 'any'")]);

const universeSchema = z
  .object({
    /** Quote and settle coin of the ranked markets; Bybit's linear perps settle in USDT or USDC. */
    quote: coin.default('USDT'),
    settle: coin.default('USDT'),
    /** An incumbent stays while its turnover rank is ≤ topN + rankMargin, so the cut does not flap. */
    rankMargin: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be ≥ 0').max(1000, 'must be ≤ 1000').default(2),
  })
  .strict()
  .prefault({});

const rate = z.number({ error: 'must be a number' }).min(0, 'must be ≥ 0').max(1, 'must be ≤ 1');
const wholeMs = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be ≥ 0');

/** The emulator's fault switches (app/sim/faults.ts), as rates so they can be set from the environment. */
const faultsSchema = z
  .object({
    /** Bybit's 10006 (HTTP 200 + reset header). */
    rateLimit: z.object({ rate: rate.default(0) }).strict().prefault({}),
    /** Bybit's 10016 system error. */
    systemError: z.object({ rate: rate.default(0) }).strict().prefault({}),
    /** Bybit's IP ban: HTTP 403 for `durationSeconds` of the emulator's clock once drawn. */
    ipBan: z
      .object({ rate: rate.default(0), durationSeconds: z.number({ error: 'must be a number of seconds' }).int('must be a whole number of seconds').min(1, 'must be ≥ 1').default(600) })
      .strict()
      .prefault({}),
    serverError: z.object({ rate: rate.default(0) }).strict().prefault({}),
    slow: z.object({ rate: rate.default(0), delayMs: wholeMs.default(2000) }).strict().prefault({}),
    /** Every Nth kline row is malformed; 0 = off. */
    malformedEvery: wholeMs.default(0),
    wsDisconnectEveryMs: wholeMs.default(0),
  })
  .strict()
  .prefault({});

/**
 * The REST budget and the global pause. Seconds are the service clock's (the emulator's in sim mode,
 * where ccxt's throttle is scaled by `sim.speed` so the budget holds in simulated time).
 */
const restSchema = z
  .object({
    /** REST calls per second; ccxt's bybit throttle allows 10 for public market data. */
    callsPerSecond: z.number({ error: 'must be a number' }).positive('must be > 0').max(1000, 'must be ≤ 1000').default(10),
    /** How long an IP ban (HTTP 403) pauses every REST job before one probe; Bybit bans for ≥ 10 min. */
    banSeconds: seconds.default(600),
    /** After a probe meets the ban: wait this long, doubling per failed probe up to maxProbeSeconds. */
    probeSeconds: seconds.default(30),
    maxProbeSeconds: seconds.default(600),
    /** Bound on a 10006 wait, whatever its reset header says. */
    maxResetWaitSeconds: seconds.default(60),
  })
  .strict()
  .prefault({})
  .refine((r) => r.maxProbeSeconds >= r.probeSeconds, { message: 'must be ≥ probeSeconds', path: ['maxProbeSeconds'] });

const whole = z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be ≥ 0');

/** Listings and delistings on a deterministic schedule of simulated time (app/sim/sim-market.ts). */
const rotationSchema = z
  .object({
    /** Simulated seconds between turns; 0 = the listing never changes. */
    everySeconds: whole.max(604_800, 'must be ≤ 604800').default(0),
    /** USDT perps listed at once; 0 = all but `step`. */
    listed: whole.max(2000, 'must be ≤ 2000').default(0),
    /** Perps delisted, and as many listed, per turn. */
    step: count(2000).default(1),
    /** Turns before the listing stays put; 0 = forever. */
    turns: whole.default(0),
  })
  .strict()
  .prefault({});

/**
 * Which static shard of the universe this process owns (app/manager/shard.ts): every shard ranks the
 * same global topN (or takes the same `symbols`), then keeps the symbols whose hash falls on `index`.
 */
const shardSchema = z
  .object({
    index: whole.max(1023, 'must be ≤ 1023').default(0),
    count: count(1024).default(1),
  })
  .strict()
  .prefault({})
  .superRefine((s, ctx) => {
    // zod still runs this after a failed field check; a count below 1 is reported by its own field.
    if (s.count >= 1 && s.index >= s.count) ctx.addIssue({ code: 'custom', path: ['index'], message: `must be < shard.count (${s.count}): shards are numbered 0 to ${s.count - 1}` });
  });

const endpoint = (protocols: RegExp, example: string) =>
  z.union([z.literal(''), z.url({ protocol: protocols, error: `must be empty or a URL such as ${example}` })]).default('');

export const configSchema = z
  .object({
    /** Under systemd this must be set explicitly (app/config/explicit-exchange.ts). */
    exchange: z.enum(['sim', 'bybit'], { error: "must be 'sim' or 'bybit'" }).default('sim'),
    /** Endpoints for `exchange: bybit`; empty means ccxt's own (the real exchange). For the testnet, or a loopback emulator in tests. */
    bybit: z
      .object({
        restUrl: endpoint(/^https?$/, 'https://api-testnet.bybit.com'),
        wsUrl: endpoint(/^wss?$/, 'wss://stream-testnet.bybit.com/v5/public/linear'),
      })
      .strict()
      .prefault({}),
    /** Explicit universe; empty means the top `topN` symbols of the exchange. */
    symbols: z.array(z.string().min(1, 'must not be empty')).default([]),
    topN: count(1000).default(10),
    /** Which markets a topN universe ranks by 24h turnover, and its hysteresis. */
    universe: universeSchema,
    shard: shardSchema,
    timeframes: z.array(timeframe).min(1, 'must list at least one timeframe').default(['1m', '5m', '30m', '4h']),
    refresh: refreshSchema,
    rest: restSchema,
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
        /** auto: pretty on a terminal, JSON lines under journald and in pipes. */
        format: z.enum(['auto', 'json', 'pretty'], { error: "must be 'auto', 'json' or 'pretty'" }).default('auto'),
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
        /** 0: every topic of every symbol pushes on Bybit's cadence; N > 0 pins one global rate of N WS messages per real second. */
        msgRate: z.number().min(0, 'must be ≥ 0').max(1_000_000, 'must be ≤ 1000000').default(0),
        faults: faultsSchema,
        rotation: rotationSchema,
      })
      .strict()
      .superRefine((sim, ctx) => {
        const r = sim.rotation;
        if (r.everySeconds === 0) return;
        if (r.listed > sim.symbols) ctx.addIssue({ code: 'custom', path: ['rotation', 'listed'], message: `must be ≤ sim.symbols (${sim.symbols})` });
        if (r.listed === 0 && r.step >= sim.symbols) ctx.addIssue({ code: 'custom', path: ['rotation', 'step'], message: `must be < sim.symbols (${sim.symbols}) when rotation.listed is 0` });
      })
      .prefault({}),
  })
  .strict();

export type ServiceConfig = z.infer<typeof configSchema>;

/** Secrets come from the environment only, so they never sit in a config file or in its parsed echo. */
export interface Secrets {
  apiKey?: string;
  secret?: string;
}
