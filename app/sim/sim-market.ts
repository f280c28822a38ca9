import { hash01, walk } from './hash-noise.ts';
import { makeSymbols, type SymbolInfo } from './sim-symbols.ts';

export type { SymbolInfo } from './sim-symbols.ts';

const MINUTE = 60_000;
/** Log-price step per simulated minute; about 0.08%, a plausible perp. */
const SIGMA_PER_MINUTE = 0.0008 / 1.6;
const SAMPLES_PER_CANDLE = 32;

export interface SimCandle {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  confirmed: boolean;
}

export interface RotationOptions {
  /** How many symbols are listed at once. */
  size: number;
  /** Simulated ms between rotations. */
  everyMs: number;
  /** Symbols that leave (and enter) per rotation. Default 1. */
  step?: number;
  /** Rotations before the listing stays put; default unbounded. */
  turns?: number;
  /** How a symbol leaves: see DelistingOptions. */
  delisting?: DelistingOptions;
}

/** Bybit's instrument statuses a perp passes through on its way out. */
export type LeavingStatus = 'Settling' | 'Delivering' | 'Closed';

/**
 * A delisting as Bybit does it: `statusLeadMs` before the symbol leaves, its status turns from Trading
 * to `status` (instruments-info lists only Trading ones unless asked for that status or that symbol, so
 * ccxt's market table drops it then); at the turn it is gone; the streams already open go on for
 * `lingerMs` after that. Each is capped at half a rotation step.
 */
export interface DelistingOptions {
  status?: LeavingStatus;
  statusLeadMs?: number;
  lingerMs?: number;
}

/** Modelled on Bybit's delistings, not measured: a status change minutes ahead, streams that outlive the listing. */
export const DEFAULT_DELISTING: Required<DelistingOptions> = { status: 'Settling', statusLeadMs: 10 * MINUTE, lingerMs: 2 * MINUTE };

export interface SimMarketOptions {
  seed?: number;
  /** Number of USDT perps: BTCUSDT, ETHUSDT, then SYM001USDT, SYM002USDT, ... */
  symbols?: number;
  /** USDC perps (BTCPERP, ETHPERP; at most 2), always listed, outside the rotation. Default 2. */
  usdcPerps?: number;
  rotation?: RotationOptions;
  /** Simulated epoch the rotation counts from. */
  epochMs: number;
}

/**
 * A deterministic market: every price, candle, OI point and ratio is a pure function of
 * (seed, symbol, time), so REST and WS agree and any request order gives the same data.
 */
export class SimMarket {
  /** The USDT perps, in rotation order. */
  readonly all: readonly SymbolInfo[];
  readonly usdc: readonly SymbolInfo[];
  private readonly byId: Map<string, SymbolInfo>;
  private readonly index: Map<SymbolInfo, number>;
  private readonly rotation: RotationOptions | undefined;
  private readonly epochMs: number;
  readonly delisting: Required<DelistingOptions>;

  constructor(options: SimMarketOptions) {
    const seed = options.seed ?? 42;
    const count = options.symbols ?? 20;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`symbols must be an integer >= 1, got ${count}`);
    const rotation = options.rotation;
    if (rotation && (rotation.size < 1 || rotation.size > count || rotation.everyMs <= 0 || (rotation.turns ?? 0) < 0)) {
      throw new RangeError(`rotation must have 1 <= size <= symbols, everyMs > 0 and turns >= 0`);
    }
    const made = makeSymbols(seed, count, options.usdcPerps ?? 2);
    this.all = made.usdt;
    this.usdc = made.usdc;
    this.byId = new Map([...this.all, ...this.usdc].map((s) => [s.id, s]));
    this.index = new Map(this.all.map((s, i) => [s, i]));
    this.rotation = rotation;
    this.epochMs = options.epochMs;
    const d = { ...DEFAULT_DELISTING, ...rotation?.delisting };
    const cap = (ms: number) => Math.max(0, Math.min(ms, (rotation?.everyMs ?? 0) / 2));
    this.delisting = { status: d.status, statusLeadMs: cap(d.statusLeadMs), lingerMs: cap(d.lingerMs) };
  }

  symbol(id: string): SymbolInfo | undefined {
    return this.byId.get(id);
  }

  /** Rotations done by `now` (0 without a rotation). */
  turns(now: number): number {
    const r = this.rotation;
    if (!r) return 0;
    const done = Math.max(0, Math.floor((now - this.epochMs) / r.everyMs));
    return Math.min(done, r.turns ?? Infinity);
  }

  private offset(now: number): number {
    return (this.turns(now) * (this.rotation?.step ?? 1)) % this.all.length;
  }

  /** The symbols that exist at `now` (Trading or on their way out), in Bybit's unranked list order. */
  existing(now: number): SymbolInfo[] {
    const r = this.rotation;
    const n = this.all.length;
    const offset = this.offset(now);
    const usdt = r ? Array.from({ length: r.size }, (_, i) => this.all[(offset + i) % n]!) : this.all;
    return [...usdt, ...this.usdc].sort((a, b) => a.listKey - b.listKey);
  }

  /** The Trading symbols at `now`: what instruments-info lists by default, and ccxt's market table holds. */
  listed(now: number): SymbolInfo[] {
    return this.existing(now).filter((s) => this.isListed(s, now));
  }

  /** Whether `s` is in the rotation window at `now` (USDC perps always are). O(1). */
  private inWindow(s: SymbolInfo, now: number): boolean {
    const r = this.rotation;
    const i = this.index.get(s);
    if (i === undefined) return this.usdc.includes(s);
    if (!r) return true;
    const n = this.all.length;
    return (i - this.offset(now) + n) % n < r.size;
  }

  /** Trading at `now`: in the window now and still in it once the status lead has passed. O(1), for the per-subscribe check. */
  isListed(s: SymbolInfo, now: number): boolean {
    return this.inWindow(s, now) && this.inWindow(s, now + this.delisting.statusLeadMs);
  }

  /** Bybit's instrument status at `now`, undefined once the symbol is gone. */
  status(s: SymbolInfo, now: number): 'Trading' | LeavingStatus | undefined {
    if (!this.inWindow(s, now)) return undefined;
    return this.isListed(s, now) ? 'Trading' : this.delisting.status;
  }

  /** Whether open streams of `s` still push at `now`: while it exists, and `lingerMs` after it is gone. O(1). */
  streams(s: SymbolInfo, now: number): boolean {
    return this.inWindow(s, now) || this.inWindow(s, now - this.delisting.lingerMs);
  }

  price(s: SymbolInfo, t: number): number {
    return s.basePrice * Math.exp(SIGMA_PER_MINUTE * walk(s.key, t / MINUTE, s.memo.price));
  }

  round(s: SymbolInfo, value: number): string {
    return value.toFixed(s.decimals);
  }

  private minuteCandle(s: SymbolInfo, m: number, now: number): { high: number; low: number; volume: number } {
    const start = m * MINUTE;
    const o = this.price(s, start);
    const c = this.price(s, Math.min(start + MINUTE, now));
    const fraction = Math.min(1, (now - start) / MINUTE);
    return {
      high: Math.max(o, c) * (1 + 0.0004 * hash01(s.key, 101, m)),
      low: Math.min(o, c) * (1 - 0.0004 * hash01(s.key, 102, m)),
      volume: (s.baseVolume / 1440) * (0.5 + hash01(s.key, 103, m)) * fraction,
    };
  }

  /**
   * The candle of `tfMs` starting at `start` (on the grid), as of `now`. Open and close lie on the one
   * price path for every timeframe; high, low and volume aggregate the 1m candles, sampled when a
   * candle spans more than 32 minutes so that a 1d request stays cheap.
   */
  candle(s: SymbolInfo, tfMs: number, start: number, now: number): SimCandle {
    const end = start + tfMs;
    const open = this.price(s, start);
    const close = this.price(s, Math.min(end, now));
    const minutes = tfMs / MINUTE;
    const stride = Math.max(1, Math.ceil(minutes / SAMPLES_PER_CANDLE));
    let high = Math.max(open, close);
    let low = Math.min(open, close);
    let volume = 0;
    const first = start / MINUTE;
    for (let m = first; m < first + minutes && m * MINUTE < now; m += stride) {
      const one = this.minuteCandle(s, m, now);
      if (one.high > high) high = one.high;
      if (one.low < low) low = one.low;
      volume += one.volume * stride;
    }
    return { start, open, high, low, close, volume, confirmed: end <= now };
  }

  openInterest(s: SymbolInfo, t: number): number {
    return s.baseVolume * 3 * Math.exp(0.0003 * walk(s.key ^ 0x51, t / (5 * MINUTE), s.memo.oi));
  }

  /** Share of accounts long, in (0.2, 0.8). */
  buyRatio(s: SymbolInfo, t: number): number {
    return 0.5 + 0.3 * Math.tanh(0.0005 * walk(s.key ^ 0x52, t / (5 * MINUTE), s.memo.ratio));
  }

  /** Price levels around the mid, best first. */
  book(s: SymbolInfo, now: number, depth: number): { bids: Array<[string, string]>; asks: Array<[string, string]> } {
    const mid = this.price(s, now);
    const step = Math.max(s.tick, Math.round((mid * 0.0001) / s.tick) * s.tick);
    const bestBid = Math.floor(mid / step) * step;
    const second = Math.floor(now / 1000);
    const bids: Array<[string, string]> = [];
    const asks: Array<[string, string]> = [];
    for (let i = 0; i < depth; i++) {
      const size = (n: number) => ((s.baseVolume / 5000) * (0.2 + hash01(s.key, n, second))).toFixed(3);
      bids.push([this.round(s, bestBid - i * step), size(200 + i)]);
      asks.push([this.round(s, bestBid + (i + 1) * step), size(700 + i)]);
    }
    return { bids, asks };
  }
}
