import { hash01, hashString, walk, walkMemo, type WalkMemo } from './hash-noise.ts';

const MINUTE = 60_000;
/** Log-price step per simulated minute; about 0.08%, a plausible perp. */
const SIGMA_PER_MINUTE = 0.0008 / 1.6;
const SAMPLES_PER_CANDLE = 32;

export interface SymbolInfo {
  /** Exchange id, e.g. BTCUSDT. */
  id: string;
  base: string;
  key: number;
  basePrice: number;
  decimals: number;
  tick: number;
  baseVolume: number;
  /** Per-path lattice memos: price, open interest, ratio. */
  memo: { price: WalkMemo; oi: WalkMemo; ratio: WalkMemo };
}

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
}

export interface SimMarketOptions {
  seed?: number;
  /** Number of symbols: BTCUSDT, ETHUSDT, then SYM001USDT, SYM002USDT, ... */
  symbols?: number;
  rotation?: RotationOptions;
  /** Simulated epoch the rotation counts from. */
  epochMs: number;
}

function symbolNames(count: number): Array<{ id: string; base: string }> {
  const fixed = [
    { id: 'BTCUSDT', base: 'BTC' },
    { id: 'ETHUSDT', base: 'ETH' },
  ];
  const out = fixed.slice(0, count);
  for (let i = 1; out.length < count; i++) {
    const base = `SYM${String(i).padStart(3, '0')}`;
    out.push({ id: `${base}USDT`, base });
  }
  return out;
}

function makeSymbol(seed: number, id: string, base: string): SymbolInfo {
  const key = (hashString(id) ^ seed) >>> 0;
  const fixedPrice: Record<string, number> = { BTCUSDT: 60_000, ETHUSDT: 3_000 };
  const basePrice = fixedPrice[id] ?? 10 ** (hash01(key, 1, 0) * 4 - 1);
  const decimals = Math.max(0, Math.min(6, 4 - Math.floor(Math.log10(basePrice))));
  return {
    id,
    base,
    key,
    basePrice,
    decimals,
    tick: 10 ** -decimals,
    baseVolume: (50_000_000 / basePrice) * (0.5 + hash01(key, 2, 0)),
    memo: { price: walkMemo(), oi: walkMemo(), ratio: walkMemo() },
  };
}

/**
 * A deterministic market: every price, candle, OI point and ratio is a pure function of
 * (seed, symbol, time), so REST and WS agree and any request order gives the same data.
 */
export class SimMarket {
  readonly all: readonly SymbolInfo[];
  private readonly byId: Map<string, SymbolInfo>;
  private readonly rotation: RotationOptions | undefined;
  private readonly epochMs: number;

  constructor(options: SimMarketOptions) {
    const seed = options.seed ?? 42;
    const count = options.symbols ?? 20;
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`symbols must be an integer >= 1, got ${count}`);
    const rotation = options.rotation;
    if (rotation && (rotation.size < 1 || rotation.size > count || rotation.everyMs <= 0)) {
      throw new RangeError(`rotation must have 1 <= size <= symbols and everyMs > 0`);
    }
    this.all = symbolNames(count).map(({ id, base }) => makeSymbol(seed, id, base));
    this.byId = new Map(this.all.map((s) => [s.id, s]));
    this.rotation = rotation;
    this.epochMs = options.epochMs;
  }

  symbol(id: string): SymbolInfo | undefined {
    return this.byId.get(id);
  }

  /** The listed symbols at `now`: all of them, or the rotating window. */
  listed(now: number): SymbolInfo[] {
    const r = this.rotation;
    if (!r) return [...this.all];
    const n = this.all.length;
    const turns = Math.max(0, Math.floor((now - this.epochMs) / r.everyMs));
    const offset = (turns * (r.step ?? 1)) % n;
    return Array.from({ length: r.size }, (_, i) => this.all[(offset + i) % n]!);
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
