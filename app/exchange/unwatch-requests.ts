/**
 * The unsubscribe requests of one symbol, built from the exchange id captured while it was listed.
 * ccxt's bybit unWatch* look the id up in the market table, which has no entry for a delisted symbol
 * (BadSymbol): so these mirror their topics and message hashes (ccxt 4.5.84, pinned) for
 * `unWatchTopics`, which needs no market. The delisting churn test fails if they drift.
 */
export interface UnwatchRequest {
  /** ccxt's cache kind, for its cleanCache. */
  kind: 'ohlcv' | 'ticker' | 'trades' | 'orderbook' | 'liquidations';
  topics: string[];
  /** The hashes the watch registered (subscriptions, futures). */
  subHashes: string[];
  /** The hashes the unsubscribe waits on. */
  unsubHashes: string[];
  extension: Record<string, unknown>;
}

export interface WatchedTopics {
  symbol: string;
  /** Bybit's id, e.g. BTCUSDT. */
  marketId: string;
  /** Unified timeframe and Bybit's interval id, e.g. ['5m', '5']. */
  timeframes: ReadonlyArray<readonly [string, string]>;
  orderBookDepth: number;
  liquidations: boolean;
}

/** ccxt's bybit message hashes, which are also its subscribe hashes: what the tap listens to. */
export const messageHash = {
  ohlcv: (symbol: string, timeframe: string) => `ohlcv::${symbol}::${timeframe}`,
  ticker: (symbol: string) => `ticker:${symbol}`,
  trades: (symbol: string) => `trade:${symbol}`,
  orderbook: (symbol: string) => `orderbook:${symbol}`,
  liquidations: (symbol: string) => `liquidations::${symbol}`,
};

const one = (kind: UnwatchRequest['kind'], topic: string, subHash: string, unsubHash: string): UnwatchRequest => ({
  kind,
  topics: [topic],
  subHashes: [subHash],
  unsubHashes: [unsubHash],
  extension: {},
});

export function unwatchRequests(w: WatchedTopics): UnwatchRequest[] {
  const { symbol, marketId: id } = w;
  const requests: UnwatchRequest[] = [];
  if (w.timeframes.length > 0) {
    requests.push({
      kind: 'ohlcv',
      topics: w.timeframes.map(([, tfId]) => `kline.${tfId}.${id}`),
      subHashes: w.timeframes.map(([tf]) => messageHash.ohlcv(symbol, tf)),
      unsubHashes: w.timeframes.map(([tf]) => `unsubscribe::ohlcv::${symbol}::${tf}`),
      extension: { symbolsAndTimeframes: w.timeframes.map(([tf]) => [symbol, tf]) },
    });
  }
  requests.push(
    one('ticker', `tickers.${id}`, messageHash.ticker(symbol), `unsubscribe:ticker:${symbol}`),
    one('trades', `publicTrade.${id}`, messageHash.trades(symbol), `unsubscribe:trade:${symbol}`),
    one('orderbook', `orderbook.${w.orderBookDepth}.${id}`, messageHash.orderbook(symbol), `unsubscribe:orderbook:${symbol}`),
  );
  // ccxt's bybit has no unWatchLiquidations; without this the server keeps feeding the evicted symbol.
  if (w.liquidations) requests.push(one('liquidations', `allLiquidation.${id}`, messageHash.liquidations(symbol), `unsubscribe:liquidations::${symbol}`));
  return requests;
}
