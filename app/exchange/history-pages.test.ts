import { describe, expect, it } from 'vitest';
import { OI_HISTORY_MAX, OI_PAGE_MAX, oiHistoryArgs } from './history-pages.ts';

const STEP = 300_000;
const NOW = 1_700_000_123_456;

describe('oiHistoryArgs', () => {
  it('asks for one page as it is when the count fits in one', () => {
    expect(oiHistoryArgs(STEP, OI_PAGE_MAX, NOW)).toEqual({ since: undefined, limit: OI_PAGE_MAX, params: {} });
  });

  it("walks ccxt's cursor paginator from exactly `limit` grid points back, without ccxt's own retries", () => {
    const a = oiHistoryArgs(STEP, 288, NOW);
    const newest = Math.floor(NOW / STEP) * STEP;
    expect(a.since).toBe(newest - 287 * STEP);
    expect(a).toMatchObject({ limit: 288, params: { paginate: true, until: NOW, paginationCalls: 2, maxEntriesPerRequest: OI_PAGE_MAX, maxRetries: 0 } });
  });

  it('bounds the count, and so the pages', () => {
    const a = oiHistoryArgs(STEP, 100_000, NOW);
    expect(a.limit).toBe(OI_HISTORY_MAX);
    expect(a.params['paginationCalls']).toBe(OI_HISTORY_MAX / OI_PAGE_MAX);
  });
});
