import type { AppUnderProbe } from './load-app.ts';
import type { ProbeBody } from './probe-types.ts';
import { PROBE_NOW } from './cleanup-probes.ts';

const [KEEP, GONE] = ['KEEP/USDT:USDT', 'GONE/USDT:USDT'];
const FIRST_PASS_TICKS = 2000;
const tick = () => new Promise<void>((r) => setImmediate(r));

/** The manager's per-symbol collections, found by walking its fields at run time: every Map it holds, whatever its name. */
const collectionsOf = (m: object) => Object.entries(m).filter((e): e is [string, Map<unknown, unknown>] => e[1] instanceof Map);
const holds = (map: Map<unknown, unknown>, symbol: string) => [...map.keys()].some((k) => String(k).includes(symbol));

/**
 * A real manager started on the fake source with two symbols: its refresh jobs and its streams (every
 * handler it gave the source) fill what they fill. Then one symbol leaves the universe and one cleanup
 * runs. Every Map field of the manager must have held the symbol (else the probe did not exercise it:
 * a new collection fails here until the probe feeds it) and must hold it no longer, while the kept symbol stays.
 */
export const everyCollectionEvicts =
  (app: AppUnderProbe): ProbeBody =>
  async () => {
    const clock = new app.FakeClock(PROBE_NOW);
    const source = new app.FakeMarketSource([KEEP, GONE], () => clock.now());
    // The one component the fake source does not serve (it is optional on MarketSource).
    const ratio = (_s: string, _tf: string, limit: number) => Promise.resolve(Array.from({ length: limit }, (_, i) => ({ timestamp: PROBE_NOW - (limit - i) * 300_000, longShortRatio: 1 })));
    Object.assign(source, { fetchLongShortRatio: ratio });
    const config = { ...app.configSchema.parse({}), symbols: [], topN: 2, timeframes: ['1m' as const] };
    const m = new app.MarketDataManager({ source, config, clock, memory: { rssMb: () => 100, gc: undefined } });
    try {
      await m.start();
      for (let i = 0; i < FIRST_PASS_TICKS && !m.ready; i++) await tick();
      for (const symbol of [KEEP, GONE]) {
        const h = source.watched.get(symbol);
        const print = { id: 'p1', timestamp: PROBE_NOW, side: 'sell' as const, price: 100, amount: 1 };
        h?.onTrades([print]);
        h?.onLiquidations?.([print]);
        h?.onTicker({ symbol, timestamp: PROBE_NOW, last: 100 });
        h?.onOrderBook({ symbol, timestamp: PROBE_NOW, bids: [[99, 1]], asks: [[101, 1]] });
        h?.onCandles('1m', app.minuteCandles(3, PROBE_NOW));
      }
      const collections = collectionsOf(m);
      const unexercised = collections.filter(([, map]) => !holds(map, GONE)).map(([k]) => k);
      m.setTrackedSymbols([KEEP]);
      m.runMemoryCleanupSync();
      const kept = collections.filter(([, map]) => holds(map, GONE)).map(([k]) => k);
      const lost = collections.filter(([, map]) => !holds(map, KEEP)).map(([k]) => k);
      const problems = [
        collections.length === 0 ? 'the manager holds no Map' : '',
        unexercised.length ? `not exercised (held nothing for ${GONE} before the cleanup): ${unexercised.join(', ')}` : '',
        kept.length ? `not evicted: ${kept.join(', ')} still hold ${GONE}` : '',
        lost.length ? `over-evicted: ${lost.join(', ')} lost ${KEEP}` : '',
      ].filter(Boolean);
      const ok = problems.length === 0;
      const names = collections.map(([k]) => k);
      return { ok, reason: ok ? `all ${names.length} per-symbol collections evicted ${GONE} and kept ${KEEP}: ${names.join(', ')}` : problems.join('; '), evidence: { collections: names, unexercised, kept, lost } };
    } finally {
      await m.stop();
    }
  };
