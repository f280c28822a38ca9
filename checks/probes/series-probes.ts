import type { AppUnderProbe } from './load-app.ts';
import type { ProbeBody } from './probe-types.ts';
import { PROBE_NOW } from './cleanup-probes.ts';
import { manager, SYMBOL } from './store-probes.ts';

type Series = 'trades' | 'liquidations';
const BATCH = 250;

/** Prints with distinct ids, timestamps and prices, oldest first, so "newest kept" is observable. */
const prints = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: `p${from + i}`, timestamp: PROBE_NOW + (from + i) * 10, side: 'buy' as const, price: 100 + from + i, amount: 1 }));

/**
 * Writes three bounds' worth of prints through the manager's real store method, in batches as the
 * streams deliver them, and reads back what the manager holds: exactly the bound, the newest ones.
 */
const seriesStaysBounded =
  (series: Series) =>
  (app: AppUnderProbe): ProbeBody =>
  () => {
    const m = manager(app);
    const bound = app.configSchema.parse({}).limits[series];
    const total = bound * 3;
    for (let from = 0; from < total; from += BATCH) {
      const batch = prints(from, Math.min(BATCH, total - from));
      if (series === 'trades') m.storeTrades(SYMBOL, batch);
      else m.storeLiquidations(SYMBOL, batch);
    }
    const kept = m[series].get(SYMBOL)?.toArray() ?? [];
    const evidence = { bound, stored: total, kept: kept.length, oldestKeptPrice: kept[0]?.price, newestKeptPrice: kept.at(-1)?.price };
    const [oldestWanted, newestWanted] = [100 + total - bound, 100 + total - 1];
    const ok = kept.length === bound && evidence.oldestKeptPrice === oldestWanted && evidence.newestKeptPrice === newestWanted;
    return {
      ok,
      reason: ok
        ? `${total} ${series} stored, the newest ${bound} kept`
        : `${total} ${series} stored: kept ${kept.length} (prices ${evidence.oldestKeptPrice}..${evidence.newestKeptPrice}), expected the newest ${bound} (${oldestWanted}..${newestWanted})`,
      evidence,
    };
  };

export const tradesStayBounded = seriesStaysBounded('trades');
export const liquidationsStayBounded = seriesStaysBounded('liquidations');
