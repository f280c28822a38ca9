import type { AppUnderProbe } from './load-app.ts';
import type { ProbeBody } from './probe-types.ts';
import { PROBE_NOW } from './cleanup-probes.ts';

const [KEPT, ROTATED] = ['KEEP/USDT:USDT', 'GONE/USDT:USDT'];
const SHRUNK = { ohlcv1m: 100, oiHistory: 50 };
const RSS = { before: 180, after: 150 };

/** The keys the cleanup-result-shape spec requires (it imports them), so the probe and the static check agree by construction. */
export const CLEANUP_RESULT_KEYS = ['ohlcvTrimmed', 'oiTrimmed', 'evicted', 'gcRan', 'memoryBeforeMb', 'memoryAfterMb', 'durationMs', 'gcMs'] as const;

const COUNTS = ['ohlcvTrimmed', 'oiTrimmed', 'evicted'];
const NUMBERS = ['memoryBeforeMb', 'memoryAfterMb', 'durationMs', 'gcMs'];
const typeOk = (k: string, v: unknown) =>
  k === 'gcRan' ? typeof v === 'boolean' : COUNTS.includes(k) ? Number.isInteger(v) && (v as number) >= 0 : NUMBERS.includes(k) ? Number.isFinite(v) && (v as number) >= 0 : v !== undefined;

/**
 * A real manager holding two symbols at their bounds; then the limits shrink and one symbol rotates out.
 * One cleanup must report every key with its type, count the trims, evict the rotated symbol, and report
 * RSS read before the work and after the gc (the memory probe is the injected fake, so both are known).
 */
export const cleanupReportsWhatItDid =
  (app: AppUnderProbe): ProbeBody =>
  () => {
    const clock = new app.FakeClock(PROBE_NOW);
    const config = app.configSchema.parse({});
    const rss = [RSS.before, RSS.after];
    let gcCalls = 0;
    const m = new app.MarketDataManager({
      source: new app.FakeMarketSource([KEPT, ROTATED], () => clock.now()),
      config,
      clock,
      memory: { rssMb: () => rss.shift() ?? Number.NaN, gc: () => {
        gcCalls++;
      } },
    });
    m.setTrackedSymbols([KEPT, ROTATED]);
    for (const s of [KEPT, ROTATED]) {
      m.storeOhlcv(s, '1m', app.minuteCandles(1440, PROBE_NOW));
      m.storeOpenInterestHistory(s, app.oiPoints(config.limits.oiHistory, PROBE_NOW));
    }
    m.reconfigure({ ...config, limits: { ...config.limits, ohlcv: { ...config.limits.ohlcv, '1m': SHRUNK.ohlcv1m }, oiHistory: SHRUNK.oiHistory } });
    m.setTrackedSymbols([KEPT]);
    const r = m.runMemoryCleanupSync() as unknown as Record<string, unknown>;

    const keys: readonly string[] = CLEANUP_RESULT_KEYS;
    const missing = keys.filter((k) => !(k in r));
    const badTypes = keys.filter((k) => k in r && !typeOk(k, r[k]));
    const after = {
      keptCandles: m.ohlcv.get(`${KEPT}|1m`)?.size,
      keptOi: m.openInterestHistory.get(KEPT)?.size,
      rotatedLeft: [...m.ohlcv.keys()].filter((k) => k.startsWith(ROTATED)).length + (m.openInterestHistory.has(ROTATED) ? 1 : 0),
      gcCalls,
    };
    const problems = [
      keys.length === 0 ? 'the spec names no keys' : '',
      missing.length ? `missing ${missing.join(', ')}` : '',
      badTypes.length ? `wrong type: ${badTypes.map((k) => `${k}=${JSON.stringify(r[k])}`).join(', ')}` : '',
      after.keptCandles === SHRUNK.ohlcv1m && after.keptOi === SHRUNK.oiHistory ? '' : `kept ${after.keptCandles} candles / ${after.keptOi} OI after the shrink to ${SHRUNK.ohlcv1m}/${SHRUNK.oiHistory}`,
      (r.ohlcvTrimmed as number) >= 1 && (r.oiTrimmed as number) >= 1 ? '' : `trims not counted (ohlcvTrimmed ${String(r.ohlcvTrimmed)}, oiTrimmed ${String(r.oiTrimmed)})`,
      (r.evicted as number) >= 1 && after.rotatedLeft === 0 ? '' : `rotated symbol: evicted ${String(r.evicted)}, ${after.rotatedLeft} of its caches left`,
      r.memoryBeforeMb === RSS.before && r.memoryAfterMb === RSS.after ? '' : `memory ${String(r.memoryBeforeMb)} → ${String(r.memoryAfterMb)}, expected ${RSS.before} → ${RSS.after}`,
      r.gcRan === true && gcCalls === 1 ? '' : `gcRan ${String(r.gcRan)} with ${gcCalls} gc calls`,
    ].filter(Boolean);
    const ok = problems.length === 0;
    return { ok, reason: ok ? 'the cleanup reported every key, counted the trims and evicted the rotated symbol' : problems.join('; '), evidence: { result: r, ...after } };
  };
