import { z } from 'zod';
import type { TradingStatuses } from './market-source.ts';

/** Bybit's instruments-info page cap: one page holds every linear perp (about 600 listed). */
export const INSTRUMENTS_PAGE = 1000;

const page = z.object({
  result: z.object({
    list: z.array(z.object({ symbol: z.string(), status: z.string() })),
    nextPageCursor: z.string().optional(),
  }),
});

/**
 * The status of each symbol from one instruments-info reply (Bybit's shape). `ids` maps each unified
 * symbol to its exchange id; a symbol with no known id is left out. A symbol the page does not list is
 * 'Absent' only when the page is complete (no next cursor): Bybit lists only Trading ones by default.
 */
export function statusesFromPage(reply: unknown, ids: ReadonlyMap<string, string>): TradingStatuses {
  const { list, nextPageCursor } = page.parse(reply).result;
  const byId = new Map(list.map((row) => [row.symbol, row.status]));
  const complete = (nextPageCursor ?? '') === '';
  const out: TradingStatuses = {};
  for (const [symbol, id] of ids) {
    const status = byId.get(id) ?? (complete ? 'Absent' : undefined);
    if (status !== undefined) out[symbol] = status;
  }
  return out;
}
