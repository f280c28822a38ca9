import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { UnitMetrics } from './unit-metrics.ts';

describe('UnitMetrics', () => {
  it('counts messages by topic kind and listing turns as counters, growing by the delta at each scrape', async () => {
    const registry = new Registry();
    const handled = { trades: 10, ticker: 3 };
    const turns = { added: 5, evicted: 0 };
    new UnitMetrics(registry, () => ({ handled: () => handled, listingTurns: () => turns }));
    expect(await registry.metrics()).toContain('leakproof_messages_handled_total{kind="trades"} 10');
    handled.trades = 25;
    turns.evicted = 2;
    const body = await registry.metrics();
    expect(body).toContain('leakproof_messages_handled_total{kind="trades"} 25');
    expect(body).toContain('leakproof_messages_handled_total{kind="ticker"} 3');
    expect(body).toContain('leakproof_listing_turns_total{change="added"} 5');
    expect(body).toContain('leakproof_listing_turns_total{change="evicted"} 2');
  });

  it("samples the retained heap only after a cleanup that ran gc, and stamps every cleanup's time", async () => {
    const registry = new Registry();
    let heap = 1_000;
    const units = new UnitMetrics(registry, () => ({ handled: () => ({ trades: 40, ticker: 2 }), listingTurns: () => ({ added: 3, evicted: 1 }) }), () => heap);
    units.setCleanupInterval(600);
    units.recordCleanup(true, 1_700_000_000_000);
    heap = 9_999;
    units.recordCleanup(false, 1_700_000_600_000);
    const body = await registry.metrics();
    expect(body).toMatch(/^leakproof_retained_heap_bytes 1000$/m);
    expect(body).toMatch(/^leakproof_cleanup_timestamp_seconds 1700000600$/m);
    expect(body).toMatch(/^leakproof_cleanup_interval_seconds 600$/m);
    expect(body).toContain('leakproof_retained_heap_work{unit="message"} 42');
    expect(body).toContain('leakproof_retained_heap_work{unit="listing"} 4');
  });
});
