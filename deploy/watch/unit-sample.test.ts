import { describe, expect, it } from 'vitest';
import { parseUnitScrape } from './unit-sample.ts';

describe('parseUnitScrape', () => {
  it('sums messages over topic kinds and listing turns over both changes, and reads the cleanup sample', () => {
    const s = parseUnitScrape([
      'leakproof_messages_handled_total{kind="trades"} 1200',
      'leakproof_messages_handled_total{kind="ticker"} 300',
      'leakproof_listing_turns_total{change="added"} 10',
      'leakproof_listing_turns_total{change="evicted"} 4',
      'leakproof_retained_heap_bytes 52428800',
      'leakproof_cleanup_timestamp_seconds 1765000000.5',
      'leakproof_cleanup_interval_seconds 15',
      'leakproof_retained_heap_work{unit="message"} 1400',
      'leakproof_retained_heap_work{unit="listing"} 12',
      'process_resident_memory_bytes 1e+08',
      'leakproof_cache_entries{component="ticker"} 3',
    ]);
    expect(s).toEqual({ retainedBytes: 52428800, cleanupAtS: 1765000000.5, cleanupIntervalS: 15, retainedAt: { messages: 1400, listingTurns: 12 }, messages: 1500, byKind: { trades: 1200, ticker: 300 }, listingTurns: 14, rssBytes: 1e8 });
  });

  it('leaves the retained sample null before the first cleanup with gc', () => {
    expect(parseUnitScrape(['leakproof_messages_handled_total{kind="trades"} 5'])).toMatchObject({ retainedBytes: null, cleanupAtS: null, messages: 5 });
  });
});
