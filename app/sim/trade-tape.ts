import { tradesPerPush } from './push-cadence.ts';
import type { SimMarket, SymbolInfo } from './sim-market.ts';

/**
 * One trade tape per symbol, a pure function of (symbol, slot), read by REST (recent-trade) and WS
 * (publicTrade) alike: a print has one execId wherever it is seen, as on Bybit, so a client can merge
 * the two by id. Each slot holds one match, batched into one or more fills at one time and price.
 */
export const TRADE_SLOT_MS = 250;

export interface SimTrade {
  id: string;
  time: number;
  price: string;
  size: string;
  side: 'Buy' | 'Sell';
}

export const slotAt = (now: number) => Math.floor(now / TRADE_SLOT_MS);

export function slotTrades(m: SimMarket, s: SymbolInfo, slot: number): SimTrade[] {
  const time = slot * TRADE_SLOT_MS;
  const price = m.round(s, m.price(s, time));
  const side = slot % 2 === 0 ? 'Buy' : 'Sell';
  return Array.from({ length: tradesPerPush(s, slot) }, (_, j) => ({
    id: `${s.key.toString(16)}-${slot}-${j}`,
    time,
    price,
    size: ((s.baseVolume / 20_000) * (0.1 + ((slot + j) % 7))).toFixed(3),
    side,
  }));
}

/** The newest `limit` prints at `now`, newest first (Bybit's recent-trade order). */
export function recentTrades(m: SimMarket, s: SymbolInfo, now: number, limit: number): SimTrade[] {
  const out: SimTrade[] = [];
  for (let slot = slotAt(now); out.length < limit; slot--) out.push(...slotTrades(m, s, slot).reverse());
  return out.slice(0, limit);
}
