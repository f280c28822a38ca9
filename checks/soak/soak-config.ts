import { configSchema, type ServiceConfig } from '../../app/config/config-schema.ts';

/** Simulated seconds that make a component refresh only once in a soak: its first pass. */
const ONCE = 604_800;

/**
 * One config for both soak builds, tuned so that a leak shows within seconds on a busy 2-core machine:
 * the emulator's clock runs 600× (a sim minute every 0.1 s real), the whole top-N universe rotates out
 * every 0.5 s real, and REST time goes to the candle history of each new symbol, which is what the
 * original leaked. Only the store, the cleanup and the eviction differ between the builds.
 */
export const SOAK_SERVICE_CONFIG: ServiceConfig = configSchema.parse({
  exchange: 'sim',
  topN: 10,
  timeframes: ['1m', '5m'],
  refresh: {
    tickerSeconds: ONCE,
    orderbookSeconds: ONCE,
    tradesSeconds: ONCE,
    openInterestSeconds: ONCE,
    openInterestHistorySeconds: ONCE,
    longShortRatioSeconds: ONCE,
    universeSeconds: 300,
    ohlcvSeconds: { '1m': 60, '5m': 60 },
    concurrency: 8,
  },
  // Bybit (and the emulator) refuse kline limits above 1000; the 1m default of 1440 would fail every fetch.
  limits: { ohlcv: { '1m': 1000 } },
  cleanup: { enabled: true, intervalSeconds: 300 },
  http: { host: '127.0.0.1', port: 0 },
  log: { format: 'json', level: 'warn' },
  sim: { symbols: 1000, seed: 7, speed: 600, msgRate: 100 },
});

/** How far the top-N window moves at each universe refresh: all of it, so every refresh brings new keys. */
export const ROTATE_STEP = 10;
