import type { MarketSource } from '../../app/exchange/market-source.ts';

/** The REST methods of a MarketSource: the calls a step of the soak waits for. */
const REST_METHODS = new Set<PropertyKey>([
  'loadSymbols',
  'fetchTurnovers',
  'fetchTicker',
  'fetchOrderBook',
  'fetchTrades',
  'fetchOHLCV',
  'fetchOpenInterest',
  'fetchOpenInterestHistory',
  'fetchLongShortRatio',
]);

export interface CountedSource {
  source: MarketSource;
  /** REST calls started and not yet settled. */
  inFlight(): number;
}

/**
 * Passes every call through to `source` and counts the REST calls in flight, so the soak's driver can
 * let simulated time move on only once the service has done what the last step asked of it.
 */
export function countRestInFlight(source: MarketSource): CountedSource {
  let inFlight = 0;
  const counted = new Proxy(source, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      if (!REST_METHODS.has(prop)) return value.bind(target);
      return async (...args: unknown[]) => {
        inFlight += 1;
        try {
          return (await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)) as unknown;
        } finally {
          inFlight -= 1;
        }
      };
    },
  });
  return { source: counted, inFlight: () => inFlight };
}
