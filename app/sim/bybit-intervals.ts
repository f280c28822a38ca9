const MINUTE = 60_000;

/** Bybit v5 kline `interval` values and their length. W and M are not on a fixed grid: not served. */
export const KLINE_INTERVAL_MS: Readonly<Record<string, number>> = {
  '1': MINUTE,
  '3': 3 * MINUTE,
  '5': 5 * MINUTE,
  '15': 15 * MINUTE,
  '30': 30 * MINUTE,
  '60': 60 * MINUTE,
  '120': 120 * MINUTE,
  '240': 240 * MINUTE,
  '360': 360 * MINUTE,
  '720': 720 * MINUTE,
  D: 1440 * MINUTE,
};

/** Bybit v5 `intervalTime` (open interest) and `period` (account ratio) values. */
export const PERIOD_MS: Readonly<Record<string, number>> = {
  '5min': 5 * MINUTE,
  '15min': 15 * MINUTE,
  '30min': 30 * MINUTE,
  '1h': 60 * MINUTE,
  '4h': 240 * MINUTE,
  '1d': 1440 * MINUTE,
};

export function floorTo(t: number, stepMs: number): number {
  return Math.floor(t / stepMs) * stepMs;
}
