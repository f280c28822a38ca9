import type * as ChurnModule from '../../app/manager/testing/delisting-churn.ts';
import { churnOverBounds, type OverBound } from './churn-bounds.ts';
import { load, type AppUnderProbe } from './load-app.ts';
import type { ProbeBody } from './probe-types.ts';

export const CHURN_SCRIPT = 'app/manager/testing/delisting-churn.ts';
/** Loading ccxt and its churn: about 3 s idle, 11 s alone and 25 s beside the service probe at load 20. */
export const CHURN_PROBE_TIMEOUT_MS = 60_000;
/** Enough delistings that a per-symbol leak dwarfs the live universe; one timeframe keeps it fast. */
const CHURN = { turns: 6, live: 3, timeframes: ['1m'] } as const;

const describe = (o: OverBound) => `${o.what} ${o.count} > ${o.bound}`;

/**
 * Lists and delists symbols in the emulator while the real universe, manager and ccxt source (loaded from
 * the app under probe) follow them: markets reload, the universe re-ranks and eviction unwatches. ccxt's
 * per-symbol client state and the server's open subscriptions must stay bounded by the live universe.
 * Loaded lazily: only this probe needs ccxt.
 */
export const delistedSymbolsLeaveNoState =
  (app: AppUnderProbe): ProbeBody =>
  async () => {
    const churn = await load<typeof ChurnModule>(app.root, CHURN_SCRIPT);
    const r = await churn.runDelistingChurn({ ...CHURN, timeframes: [...CHURN.timeframes], timeoutMs: CHURN_PROBE_TIMEOUT_MS - 5000 });
    const over = churnOverBounds(r, CHURN.timeframes.length);
    const unwatchErrors = Object.fromEntries(Object.entries(r.errors).filter(([k]) => k.startsWith('unwatch:')));
    const leftBehind = r.gone.filter((s) => churn.entriesOf(r, s) > 0);
    const evidence = {
      live: r.live.length,
      delisted: r.gone.length,
      byKind: r.state.byKind,
      serverSubscriptions: r.serverSubscriptions,
      delistedWithState: leftBehind.length,
      delistingsOutlivedByStreams: r.outlived,
      unwatchErrors,
      loadAverage: r.loadAverage,
    };
    const ok = over.length === 0;
    const errors = Object.entries(unwatchErrors).map(([k, n]) => `${k} ×${n}`).join(', ');
    return {
      ok,
      reason: ok
        ? `${r.gone.length} delistings through real ccxt: ccxt's client state (${r.state.total} entries) and ${r.serverSubscriptions} open subscriptions are bounded by the ${r.live.length} live symbols`
        : `delisting leak: after ${r.gone.length} delistings ${leftBehind.length} delisted symbols keep ccxt client state; over the live universe's bound (${r.live.length} symbols): ${over.map(describe).join(', ')}${errors ? `; ${errors}` : ''}`,
      evidence,
    };
  };
