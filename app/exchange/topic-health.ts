/**
 * Streams the source gave up on for now, for /status: a topic whose subscribe the exchange kept
 * refusing, or a book whose resync never came back. Given up on is not forever: each is tried again at
 * `retryAt` (a revive), since a refusal may be the exchange's passing fault. Bounded by the watched
 * topics: an entry goes when its topic recovers or its symbol is unwatched.
 */
export interface DroppedTopic {
  /** Bybit's topic (`orderbook.50.DOGEUSDT`) or ccxt's message hash (`ohlcv::DOGE/USDT:USDT::1m`). */
  topic: string;
  /** The name ccxt files the symbol under. */
  symbol: string;
  /** refused: answered success:false; timeout: no snapshot within the deadline. */
  reason: 'refused' | 'timeout';
  attempts: number;
  /** Clock ms when it was dropped. */
  at: number;
  /** Times in a row it was dropped: each revive that fails drops it again, and waits longer. */
  drops: number;
  /** Clock ms of the next revive: a whole new round of attempts. */
  retryAt: number;
}

export class TopicHealth {
  private readonly dropped = new Map<string, DroppedTopic>();
  /** Books being resynced now, by topic, with the symbol each belongs to. */
  private readonly resyncing = new Map<string, string>();

  drop(d: DroppedTopic): void {
    this.resyncing.delete(d.topic);
    this.dropped.set(d.topic, d);
  }

  startResync(topic: string, symbol: string): void {
    this.resyncing.set(topic, symbol);
  }

  isResyncing(topic: string): boolean {
    return this.resyncing.has(topic);
  }

  isDropped(topic: string): boolean {
    return this.dropped.has(topic);
  }

  /** Times in a row the topic was dropped so far (0: it is not). */
  drops(topic: string): number {
    return this.dropped.get(topic)?.drops ?? 0;
  }

  /** The topic works again; true if it had been resyncing or dropped. */
  recover(topic: string): boolean {
    const was = this.resyncing.delete(topic);
    return this.dropped.delete(topic) || was;
  }

  /** Forgets every entry of a symbol filed under any of `names` (it was unwatched). */
  forget(names: readonly string[]): void {
    for (const [topic, d] of this.dropped) if (names.includes(d.symbol)) this.dropped.delete(topic);
    for (const [topic, symbol] of this.resyncing) if (names.includes(symbol)) this.resyncing.delete(topic);
  }

  snapshot(): { resyncing: string[]; dropped: DroppedTopic[] } {
    return { resyncing: [...this.resyncing.keys()], dropped: [...this.dropped.values()].map((d) => ({ ...d })) };
  }
}
