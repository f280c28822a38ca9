import { createCcxtSource } from '../exchange/ccxt-source.ts';
import { startEmulator } from './emulator.ts';

export interface WsThroughputOptions {
  /** Offered push rate, messages per real second. */
  rate: number;
  seconds: number;
  /** Symbols watched; each takes timeframes + ticker, trades, book, liquidations streams. */
  symbols: number;
  timeframes?: string[];
  /** SimClock speed. */
  speed?: number;
}

export interface WsThroughputResult {
  offeredPerSec: number;
  pushedPerSec: number;
  /** Messages ccxt parsed (its handleMessage), per real second. */
  parsedPerSec: number;
  /** Handler calls reaching the consumer (ccxt coalesces bursts), per real second. */
  deliveredPerSec: number;
  skippedSlowReader: number;
  rssStartMb: number;
  rssEndMb: number;
  heapStartMb: number;
  heapEndMb: number;
}

const mb = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;

/**
 * Emulator and ccxt source in one process, as the service runs in sim mode: offers `rate` msg/s for
 * `seconds`, then reports what was pushed, parsed by ccxt and delivered, and memory before and after.
 */
export async function measureWsThroughput(o: WsThroughputOptions): Promise<WsThroughputResult> {
  const emu = await startEmulator({ symbols: Math.max(o.symbols, 1), speed: o.speed ?? 60, wsRate: o.rate });
  const source = createCcxtSource({ restBaseUrl: emu.url, wsUrl: emu.wsUrl, clock: emu.clock, timeframes: o.timeframes ?? ['1m', '5m'] });
  const controller = new AbortController();
  let delivered = 0;
  const count = () => {
    delivered += 1;
  };
  try {
    const symbols = (await source.loadSymbols()).slice(0, o.symbols);
    for (const s of symbols) {
      source.watch(s, { onCandles: count, onTicker: count, onTrades: count, onOrderBook: count, onLiquidations: count }, controller.signal);
    }
    // Let every subscription settle before measuring.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    globalThis.gc?.();
    const m0 = process.memoryUsage();
    const e0 = emu.stats().ws.pushed;
    const p0 = source.stats().wsMessages;
    const d0 = delivered;
    const t0 = performance.now();
    await new Promise((resolve) => setTimeout(resolve, o.seconds * 1_000));
    const secs = (performance.now() - t0) / 1_000;
    const e1 = emu.stats();
    const p1 = source.stats().wsMessages;
    const d1 = delivered;
    globalThis.gc?.();
    const m1 = process.memoryUsage();
    return {
      offeredPerSec: o.rate,
      pushedPerSec: Math.round((e1.ws.pushed - e0) / secs),
      parsedPerSec: Math.round((p1 - p0) / secs),
      deliveredPerSec: Math.round((d1 - d0) / secs),
      skippedSlowReader: e1.ws.skippedSlowReader,
      rssStartMb: mb(m0.rss),
      rssEndMb: mb(m1.rss),
      heapStartMb: mb(m0.heapUsed),
      heapEndMb: mb(m1.heapUsed),
    };
  } finally {
    controller.abort();
    await source.close();
    await emu.stop();
  }
}
