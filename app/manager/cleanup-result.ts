/** What one run of `MarketDataManager.runMemoryCleanupSync()` did. Memory is RSS in MB. */
export interface CleanupResult {
  ohlcvTrimmed: number;
  oiTrimmed: number;
  evicted: number;
  gcRan: boolean;
  memoryBeforeMb: number;
  memoryAfterMb: number;
  /** The cleanup itself, without gc. */
  durationMs: number;
  /** The gc() call alone; 0 when gc did not run. */
  gcMs: number;
}
