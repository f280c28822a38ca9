/**
 * Lists and delists `turns` symbols through the emulator while the real universe, manager and ccxt
 * source follow them, then counts ccxt's per-symbol client state under every name ccxt may use. Each
 * delisting goes as on Bybit: the symbol's status changes first (it leaves instruments-info, so ccxt's
 * market table drops it and files its messages under the bare exchange id), and its streams outlive
 * the listing; the eviction runs inside that window. The churn test asserts on it; run directly, it
 * prints the counts as one JSON line:
 *   node --import tsx app/manager/testing/delisting-churn.ts [turns]
 */
import { loadavg } from 'node:os';
import { configSchema } from '../../config/config-schema.ts';
import { createCcxtSource } from '../../exchange/ccxt-source.ts';
import { entriesUnder, type ProClientState } from '../../exchange/pro-client-state.ts';
import { startEmulator } from '../../sim/emulator.ts';
import { SimClock } from '../../sim/sim-clock.ts';
import type { SymbolInfo } from '../../sim/sim-symbols.ts';
import { MarketDataManager } from '../market-data-manager.ts';

export interface ChurnOptions {
  /** Rotations, each delisting one symbol and listing one. */
  turns: number;
  /** Symbols listed at once. */
  live: number;
  timeframes: readonly string[];
  /** Simulated ms between rotations; simulated ms per real ms, for the service's sleeps. */
  everyMs: number;
  speed: number;
  /** Real-time bound on the whole run. */
  timeoutMs: number;
}

export interface ChurnResult {
  /** Unified symbols listed at the end. */
  live: string[];
  /** Symbols listed at some point and delisted since. */
  gone: string[];
  /** Every name ccxt may file each symbol under: the unified symbol and Bybit's id. */
  names: Record<string, string[]>;
  /** Delistings during which ccxt filed a message under the bare exchange id before the eviction. */
  outlived: number;
  /** Distinct symbols the manager tracked during the run. */
  trackedEver: number;
  state: ProClientState;
  /** Topics the emulator still serves to the service's connections. */
  serverSubscriptions: number;
  errors: Record<string, number>;
  loadAverage: number;
}

const DEFAULTS: ChurnOptions = { turns: 100, live: 5, timeframes: ['1m', '5m'], everyMs: 60_000, speed: 100, timeoutMs: 90_000 };

const unified = (s: SymbolInfo) => `${s.base}/${s.quote}:${s.quote}`;

/** Entries ccxt holds for `symbol` under any of its names. */
export const entriesOf = (r: Pick<ChurnResult, 'state' | 'names'>, symbol: string) => entriesUnder(r.state, r.names[symbol] ?? [symbol]);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runDelistingChurn(over: Partial<ChurnOptions> = {}): Promise<ChurnResult> {
  const o = { ...DEFAULTS, ...over };
  // Simulated time moves only when the loop below turns the listing, so that a loaded machine delays
  // the run but never skips a listing; sleeps still run at `speed` in real time.
  let real = 0;
  const clock = new SimClock({ speed: o.speed, realNow: () => real });
  // Enough symbols that none is listed twice: every delisting is final.
  const emu = await startEmulator({ seed: 7, clock, symbols: o.live + o.turns + 1, wsRate: 500, rotation: { size: o.live, everyMs: o.everyMs, turns: o.turns } });
  const source = createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock, random: () => 0.5, timeframes: o.timeframes });
  // Small pages keep each new symbol's first refreshes cheap; the leak is in the streams, not in REST.
  const limits = { ohlcv: Object.fromEntries(o.timeframes.map((tf) => [tf, 20])), oiHistory: 20, trades: 20, liquidations: 20, longShortRatio: 20 };
  const config = configSchema.parse({ topN: o.live, timeframes: o.timeframes, refresh: { universeSeconds: 1 }, limits });
  const manager = new MarketDataManager({ source, config, clock, memory: { rssMb: () => 0, gc: undefined } });
  const tracked = new Set<string>();
  // The USDC perps stay listed and out of the USDT universe; the rotation moves the USDT ones.
  const listedNow = () => emu.market.listed(clock.now()).filter((s) => s.quote === 'USDT').map(unified);
  const deadline = performance.now() + o.timeoutMs;
  const until = async (check: () => boolean, what: string) => {
    while (!check()) {
      if (performance.now() > deadline) throw new Error(`delisting churn: ${what} not reached within ${o.timeoutMs} ms`);
      await pause(10);
    }
  };
  try {
    await manager.start();
    const lead = emu.market.delisting.statusLeadMs;
    let outlived = 0;
    for (let turn = 0; turn <= o.turns; turn++) {
      // To the turn: the symbol whose status changed is gone, a new one is listed.
      if (turn > 0) real = clock.toRealMs(turn * o.everyMs);
      const live = listedNow();
      await until(() => sameSet(manager.trackedSymbols(), live), `turn ${turn}: the universe`);
      // Subscribed: ccxt holds state for the symbol this turn listed.
      const newest = unified(emu.market.all[turn + o.live - 1]!);
      await until(() => (source.clientState().bySymbol[newest] ?? 0) > 0, `turn ${turn}: the new symbol's streams`);
      for (const s of live) tracked.add(s);
      if (turn === o.turns) break;
      // Into the next delisting's status lead: the leaving symbol is no longer Trading, the universe
      // drops it at its next re-rank, and its streams still push, which ccxt files under the bare id.
      real = clock.toRealMs((turn + 1) * o.everyMs - lead / 2);
      const leaving = emu.market.all[turn]!;
      await until(() => !manager.trackedSymbols().includes(unified(leaving)), `turn ${turn}: the status change`);
      if (await within(1000, () => (source.clientState().bySymbol[leaving.id] ?? 0) > 0)) outlived++;
      // The cleanup's job, inside the window where the server still streams the symbol.
      manager.runMemoryCleanupSync();
      await manager.whenUnwatched();
    }
    // Late messages of a gone symbol would land now, if the server still sent them.
    await pause(300);
    const live = listedNow();
    const ever = emu.market.all.slice(0, o.live + o.turns).map(unified);
    const all = emu.market.all.slice(0, o.live + o.turns);
    return {
      live,
      gone: ever.filter((s) => !live.includes(s)),
      names: Object.fromEntries(all.map((s) => [unified(s), [unified(s), s.id]])),
      outlived,
      trackedEver: tracked.size,
      state: source.clientState(),
      serverSubscriptions: emu.stats().ws.subscriptions,
      errors: { ...manager.errors },
      loadAverage: loadavg()[0] ?? 0,
    };
  } finally {
    await manager.stop();
    await source.close();
    await emu.stop();
  }
}

/** Whether `check` holds within `ms` of real time. */
async function within(ms: number, check: () => boolean): Promise<boolean> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) return false;
    await pause(10);
  }
  return true;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && b.every((s) => a.includes(s));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const turns = Number(process.argv[2] ?? DEFAULTS.turns);
  const r = await runDelistingChurn({ turns });
  const goneEntries = r.gone.reduce((n, s) => n + entriesOf(r, s), 0);
  console.log(JSON.stringify({ turns, live: r.live.length, gone: r.gone.length, outlived: r.outlived, trackedEver: r.trackedEver, serverSubscriptions: r.serverSubscriptions, goneEntries, perGone: goneEntries / Math.max(1, r.gone.length), ...r.state, errors: r.errors, loadAverage: r.loadAverage }));
}
