/** Bybit v5's page caps: open-interest 200 rows a request, account-ratio 500. */
export const OI_PAGE_MAX = 200;
export const RATIO_PAGE_MAX = 500;
/** Pages one open-interest history fetch may walk (ccxt's own default): it bounds the fetch's REST cost. */
export const MAX_HISTORY_PAGES = 10;
/** The most open-interest points one fetch returns. The account ratio, which ccxt does not page, gets one page. */
export const OI_HISTORY_MAX = OI_PAGE_MAX * MAX_HISTORY_PAGES;

export interface HistoryArgs {
  since: number | undefined;
  limit: number;
  params: Record<string, unknown>;
}

/**
 * ccxt's arguments for the newest `limit` open-interest points: one page as it is, or ccxt's cursor
 * paginator (`nextPageCursor`) from the grid point `limit - 1` steps back up to now. The paginator's own
 * retries are off, so a failed page fails the fetch and the REST gate and retry policy see it (during a
 * ban ccxt would otherwise send three more requests).
 */
export function oiHistoryArgs(stepMs: number, limit: number, now: number): HistoryArgs {
  const n = Math.max(1, Math.min(limit, OI_HISTORY_MAX));
  if (n <= OI_PAGE_MAX) return { since: undefined, limit: n, params: {} };
  const since = Math.floor(now / stepMs) * stepMs - (n - 1) * stepMs;
  return {
    since,
    limit: n,
    params: { paginate: true, until: now, paginationCalls: Math.ceil(n / OI_PAGE_MAX), maxEntriesPerRequest: OI_PAGE_MAX, maxRetries: 0 },
  };
}
