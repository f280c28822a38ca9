import { mergeStaysBounded } from '../probes/store-probes.ts';
import { defineFix } from './define-fix.ts';

export default defineFix({
  id: 'ohlcv-merge-trim',
  title: 'Every merge into a cached timeframe is followed by a trim to the limit',
  severity: 'critical',
  why: 'The original grew OHLCV frames by concat + dedupe + sort with no trim: about 220 MB/min, a crash in about 30 min.',
  anchor: { writes: 'MarketDataManager#ohlcv' },
  region: { kind: 'cached-branch', map: 'MarketDataManager#ohlcv' },
  steps: {
    merge: { call: 'OhlcvStore#appendMany', label: 'the merge (.appendMany)' },
    trim: { call: 'OhlcvStore#trimTo' },
    limit: { call: 'MarketDataManager#ohlcvLimit' },
  },
  assert: (s) => [
    { kind: 'dominates', steps: [s.merge, s.trim], at: 1 },
    { kind: 'flows-into', from: s.limit, to: s.trim },
  ],
  mutants: [
    { id: 'delete-trim', killer: 'static', op: { op: 'delete', target: 'trim' } },
    { id: 'swap-merge-trim', killer: 'static', op: { op: 'swap', target: 'merge', other: 'trim' } },
    { id: 'trim-if-false', killer: 'static', op: { op: 'if-false', target: 'trim' } },
    { id: 'return-before-trim', killer: 'static', op: { op: 'early-return', after: 'merge' } },
    { id: 'trim-noop', killer: 'probe', op: { op: 'scale-arg', target: 'trim', factor: 1000 } },
  ],
  probes: [{ id: 'merge-stays-bounded', specIds: ['ohlcv-merge-trim'], make: mergeStaysBounded }],
});
