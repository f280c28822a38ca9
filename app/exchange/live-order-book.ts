import type { OrderBookSnapshot } from '../core/market-types.ts';
import { RESYNCING } from './book-sequence.ts';
import { levels, type CcxtBook } from './ccxt-convert.ts';

/**
 * A symbol's book as ccxt keeps it, read at the configured depth when someone reads it. ccxt applies
 * each delta to this one object in place, so copying both sides on every push (2 × 50 levels, about
 * 2 µs, for a message that changed a handful) bought a snapshot nobody had asked for yet. It holds no
 * more than ccxt already does: a reference to ccxt's own book for the symbol.
 */
export class LiveOrderBook implements OrderBookSnapshot {
  /** `boundedAt` is the depth every read is cut to. */
  constructor(
    readonly source: CcxtBook,
    readonly symbol: string,
    readonly boundedAt: number,
    private readonly now: () => number,
  ) {}

  get timestamp(): number {
    return this.source.timestamp ?? this.now();
  }

  /** ccxt's book is frozen at its last applied delta until the resync's snapshot arrives. */
  get stale(): boolean {
    return this.source.nonce === RESYNCING;
  }

  get bids(): Array<[number, number]> {
    return levels(this.source.bids, this.boundedAt);
  }

  get asks(): Array<[number, number]> {
    return levels(this.source.asks, this.boundedAt);
  }

  /** What JSON and a log see: the plain snapshot, not ccxt's object behind it. */
  toJSON(): OrderBookSnapshot {
    return { symbol: this.symbol, timestamp: this.timestamp, bids: this.bids, asks: this.asks, boundedAt: this.boundedAt, stale: this.stale };
  }
}
