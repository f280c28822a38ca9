import ccxt from 'ccxt';
import { z } from 'zod';

/** A one-market table, so that ccxt checks the depth without loading markets or connecting. */
const PROBE_SYMBOL = 'PROBE/USDT:USDT';
const PROBE_MARKETS = {
  [PROBE_SYMBOL]: { id: 'PROBEUSDT', symbol: PROBE_SYMBOL, base: 'PROBE', quote: 'USDT', settle: 'USDT', type: 'swap', swap: true, linear: true, contract: true, spot: false, option: false },
};
const LIST = /limit can be one of: (\[[\d,\s]*\])/;

/**
 * ccxt's own list of WS book depths for swaps, read at run time: asked for depth -1, ccxt's bybit
 * refuses with BadRequest naming its list, before any connection. undefined when ccxt no longer
 * answers that way (then the pinned list in book-depths.ts stands alone).
 */
export async function ccxtBookDepths(): Promise<number[] | undefined> {
  const ex = new ccxt.pro.bybit({ markets: PROBE_MARKETS });
  try {
    await ex.watchOrderBook(PROBE_SYMBOL, -1);
    return undefined;
  } catch (error) {
    const list = error instanceof ccxt.BadRequest ? LIST.exec(error.message)?.[1] : undefined;
    if (list === undefined) return undefined;
    const parsed = z.array(z.number()).safeParse(JSON.parse(list));
    return parsed.success ? parsed.data : undefined;
  } finally {
    await ex.close();
  }
}
