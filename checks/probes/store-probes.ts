import type { AppUnderProbe } from './load-app.ts';
import type { ProbeBody } from './probe-types.ts';
import { PROBE_NOW } from './cleanup-probes.ts';
import { createTrimOnlyStore } from './unbounded-store.ts';

export const SYMBOL = 'PROBE/USDT:USDT';
export const MINUTE = 60_000;

type StoreKind = 'ring' | 'trim-only';

/** A real manager; 'trim-only' injects a store with no capacity, so only the manager's own trims bound it. */
export function manager(app: AppUnderProbe, kind: StoreKind = 'ring', nowMs = PROBE_NOW) {
  const clock = new app.FakeClock(nowMs);
  return new app.MarketDataManager({
    source: new app.FakeMarketSource([], () => clock.now()),
    config: app.configSchema.parse({}),
    clock,
    memory: { rssMb: () => 100, gc: undefined },
    ...(kind === 'trim-only' ? { createOhlcvStore: createTrimOnlyStore } : {}),
  });
}

const KINDS: StoreKind[] = ['ring', 'trim-only'];

export const firstInsertKeepsLimit =
  (app: AppUnderProbe): ProbeBody =>
  () => {
    const sizes: Record<string, number | undefined> = {};
    for (const kind of KINDS) {
      const m = manager(app, kind);
      m.storeOhlcv(SYMBOL, '1m', app.minuteCandles(5000, PROBE_NOW));
      sizes[kind] = m.ohlcv.get(`${SYMBOL}|1m`)?.size;
    }
    const ok = KINDS.every((k) => sizes[k] === 1440);
    return { ok, reason: ok ? 'a first insert of 5,000 1m candles kept 1440' : `kept ${JSON.stringify(sizes)}, expected 1440`, evidence: { inserted: 5000, kept: sizes } };
  };

export const mergeStaysBounded =
  (app: AppUnderProbe): ProbeBody =>
  () => {
    const sizes: Record<string, number | undefined> = {};
    const later = PROBE_NOW + 3000 * MINUTE;
    for (const kind of KINDS) {
      const m = manager(app, kind, later);
      m.storeOhlcv(SYMBOL, '1m', app.minuteCandles(1440, PROBE_NOW));
      m.storeOhlcv(SYMBOL, '1m', app.minuteCandles(3000, later));
      sizes[kind] = m.ohlcv.get(`${SYMBOL}|1m`)?.size;
    }
    const ok = KINDS.every((k) => sizes[k] === 1440);
    return { ok, reason: ok ? 'merging 3,000 newer 1m candles kept 1440' : `kept ${JSON.stringify(sizes)} after a merge, expected 1440`, evidence: { kept: sizes } };
  };

export const oiHistoryStopsAt288 =
  (app: AppUnderProbe): ProbeBody =>
  () => {
    const m = manager(app, 'ring');
    m.storeOpenInterestHistory(SYMBOL, app.oiPoints(1000, PROBE_NOW));
    const afterBatch = m.openInterestHistory.get(SYMBOL)?.size;
    for (let i = 1; i <= 100; i++) m.storeOpenInterestHistory(SYMBOL, [{ timestamp: PROBE_NOW + i * 5 * MINUTE, openInterestAmount: 5000 + i }]);
    const afterSingles = m.openInterestHistory.get(SYMBOL)?.size;
    const ok = afterBatch === 288 && afterSingles === 288;
    return { ok, reason: ok ? 'open-interest history stopped at 288' : `held ${afterBatch} after 1,000 and ${afterSingles} after 100 more, expected 288`, evidence: { afterBatch, afterSingles } };
  };
