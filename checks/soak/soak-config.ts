import { z } from 'zod';
import { configSchema, type ServiceConfig } from '../../app/config/config-schema.ts';

const count = z.number().int().min(0);
const positive = z.number().positive();

/**
 * The soak's plan, in units of work, never of wall time: a loaded machine makes a build take longer to
 * get through it, not do less of it. Each phase moves one unit and holds the others, so one regression
 * (reports/units/unit-fit.ts) tells per message, per listing turn and per simulated hour apart.
 * Every sample is taken one `blockSimS` after the last, at the same point of the cleanup cycle.
 */
export const SoakPlanSchema = z
  .object({
    /**
     * Simulated seconds per clock step of the hour phase, at most the shortest refresh interval so that
     * every job runs at its production cadence; the driver waits for the service's REST calls before the next.
     */
    stepSimS: positive,
    /** Simulated seconds between samples: one listing rotation, one cleanup period. */
    blockSimS: positive,
    /** Rotations before the first sample: the universe turns over and the first delisted symbols are evicted. */
    warmupTurns: count,
    /** Rotations sampled in the listing phase (each lists and delists `rotation.step` symbols). */
    listingBlocks: count.min(2),
    /** WS messages per rotation, so that each listed symbol streams before it is delisted. */
    messagesPerTurn: count,
    /** Messages after the last rotation and before the message phase: every bounded cache fills to its bound. */
    fillMessages: count,
    /** The message phase: blocks of this many messages at the emulator's full speed, a sample after each. */
    messageBlocks: count.min(2),
    messagesPerBlock: count,
    /** Simulated hours of the hour phase (no messages, no listing turns), a sample every `blockSimS`. */
    simHours: positive,
    /** Rotations after the listing phase, between two heap snapshots when it grew (never sampled). */
    bracketTurns: count,
  })
  .strict();
export type SoakPlan = z.infer<typeof SoakPlanSchema>;

export const SOAK_PLAN: SoakPlan = {
  stepSimS: 60,
  blockSimS: 300,
  warmupTurns: 3,
  listingBlocks: 8,
  messagesPerTurn: 1_500,
  fillMessages: 20_000,
  messageBlocks: 5,
  messagesPerBlock: 20_000,
  simHours: 0.75,
  bracketTurns: 3,
};

/** Listing turns: every block, `step` listed USDT perps are delisted and as many listed; none after the plan's. */
export const rotationFor = (plan: SoakPlan) => ({ everySeconds: plan.blockSimS, listed: 10, step: 3, turns: plan.warmupTurns + plan.listingBlocks + plan.bracketTurns }) as const;

/**
 * One config for both soak builds, at the production refresh cadence (a leak per refresh is a leak per
 * hour). The universe is every listed USDT perp (topN = listed), so each listing turn brings new symbols
 * through real ccxt: markets reload, the universe re-ranks every minute, and the real build evicts the
 * delisted ones at its next cleanup, twice a block. Only the store, the cleanup and the
 * eviction differ between the builds.
 */
export function soakServiceConfig(plan: SoakPlan = SOAK_PLAN): ServiceConfig {
  const rotation = rotationFor(plan);
  return configSchema.parse({
    exchange: 'sim',
    topN: rotation.listed,
    universe: { rankMargin: 0 },
    timeframes: ['1m', '5m'],
    // Ticker, book and trades at their production minute; the slower jobs once a block, so that every
    // path has run its first passes in the warm-up and runs in every block after (a leak per pass of
    // an hourly job is then counted 12 times an hour: on the safe side).
    refresh: {
      universeSeconds: 60,
      openInterestSeconds: plan.blockSimS,
      openInterestHistorySeconds: plan.blockSimS,
      longShortRatioSeconds: plan.blockSimS,
      ohlcvSeconds: { '1m': plan.blockSimS, '5m': plan.blockSimS },
      concurrency: 8,
    },
    // Twice a block, never at a rotation's instant: see drive-phases.ts.
    cleanup: { enabled: true, intervalSeconds: plan.blockSimS / 2 },
    http: { host: '127.0.0.1', port: 0 },
    log: { format: 'json', level: 'error' },
    // A pinned rate (0 would mean Bybit's cadence) until the driver takes over: it pins 0 between its
    // bursts, and a burst flows at the emulator's full speed until its count is paid.
    sim: { symbols: 300, seed: 7, speed: 600, msgRate: 1_000, rotation },
  });
}

/** Messages per real second the emulator offers during a burst: more than one process can take in. */
export const BURST_MSG_RATE = 40_000;
