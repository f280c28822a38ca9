import { firstInsertKeepsLimit } from '../probes/store-probes.ts';
import { defineFix } from './define-fix.ts';

export default defineFix({
  id: 'ohlcv-initial-trim',
  title: 'First insert of a new timeframe is trimmed to its limit before it is stored',
  severity: 'critical',
  why: 'The original skipped the size check on the first insert of a timeframe, so a 5,000-row backfill was kept whole.',
  anchor: { writes: 'MarketDataManager#ohlcv' },
  region: { kind: 'not-cached-branch', map: 'MarketDataManager#ohlcv' },
  steps: {
    limit: { call: 'MarketDataManager#ohlcvLimit' },
    trim: { call: '.slice', label: 'the trim (.slice)' },
    store: { call: '.set', on: 'MarketDataManager#ohlcv', label: 'the store (ohlcv.set)' },
  },
  assert: (s) => [
    { kind: 'dominates', steps: [s.limit, s.store], at: 1 },
    { kind: 'bounded-on-every-path', store: s.store, limit: s.limit, trim: s.trim },
  ],
  mutants: [
    { id: 'delete-trim', killer: 'static', op: { op: 'delete', target: 'trim' } },
    { id: 'delete-limit', killer: 'static', op: { op: 'delete', target: 'limit' } },
    { id: 'swap-trim-store', killer: 'static', op: { op: 'swap', target: 'trim', other: 'store' } },
    { id: 'trim-if-false', killer: 'static', op: { op: 'if-false', target: 'trim' } },
    { id: 'return-before-store', killer: 'static', op: { op: 'early-return', after: 'trim' } },
    // An emptied branch stores nothing, so nothing writes the collection: not located statically; the probe sees no candles kept.
    { id: 'empty-branch', killer: 'probe', op: { op: 'empty-branch', target: 'store' } },
    { id: 'rename-method', killer: 'probe', op: { op: 'rename-anchor' } },
    { id: 'store-untrimmed', killer: 'static', op: { op: 'bypass', target: 'store', from: 'trim' } },
    { id: 'limit-x1000', killer: 'probe', op: { op: 'scale', target: 'limit', factor: 1000 } },
    { id: 'trim-noop', killer: 'probe', op: { op: 'scale-arg', target: 'trim', factor: 1000 } },
  ],
  probes: [{ id: 'first-insert-keeps-limit', specIds: ['ohlcv-initial-trim'], make: firstInsertKeepsLimit }],
});
