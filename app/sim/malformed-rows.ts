import type { MalformedKind } from './faults.ts';

/** A Bybit REST kline row: [start, open, high, low, close, volume, turnover], all strings. */
export type KlineRow = string[];

/** Breaks one REST kline row the way a bad upstream would. */
export function corruptKlineRow(row: KlineRow, kind: MalformedKind, tfMs: number): KlineRow {
  const out = [...row];
  const ts = Number(out[0]);
  switch (kind) {
    case 'short':
      return out.slice(0, 4);
    case 'nan':
      out[1] = 'NaN';
      return out;
    case 'highBelowLow':
      [out[2], out[3]] = [out[3]!, out[2]!];
      return out;
    case 'offGrid':
      out[0] = String(ts + Math.max(1, Math.floor(tfMs / 3)));
      return out;
    case 'future':
      out[0] = String(ts + 100 * tfMs);
      return out;
  }
}

/** The WS kline item equivalent of corruptKlineRow. */
export function corruptKlineItem(item: Record<string, unknown>, kind: MalformedKind, tfMs: number): Record<string, unknown> {
  const out = { ...item };
  const start = Number(out['start']);
  switch (kind) {
    case 'short':
      delete out['close'];
      delete out['volume'];
      return out;
    case 'nan':
      out['open'] = 'NaN';
      return out;
    case 'highBelowLow':
      [out['high'], out['low']] = [out['low'], out['high']];
      return out;
    case 'offGrid':
      out['start'] = start + Math.max(1, Math.floor(tfMs / 3));
      return out;
    case 'future':
      out['start'] = start + 100 * tfMs;
      return out;
  }
}
