import { oiHistoryStopsAt288 } from '../probes/store-probes.ts';
import { boundedSeries } from './bounded-series.ts';

export default boundedSeries({
  id: 'oi-history-bounded',
  collection: 'MarketDataManager#openInterestHistory',
  limit: 'limits.oiHistory',
  title: 'Open-interest history is trimmed to its bound (288) on every write',
  severity: 'critical',
  why: 'Open-interest history is appended every refresh for every symbol; without a bound it grows for the life of the process.',
  mutants: [
    { id: 'delete-trim', killer: 'static', op: { op: 'delete', target: 'trim' } },
    { id: 'swap-limit-trim', killer: 'static', op: { op: 'swap', target: 'limit', other: 'trim' } },
    { id: 'trim-if-false', killer: 'static', op: { op: 'if-false', target: 'trim' } },
    { id: 'return-before-trim', killer: 'static', op: { op: 'early-return', after: 'limit' } },
    { id: 'rename-method', killer: 'probe', op: { op: 'rename-anchor' } },
  ],
  probe: { id: 'oi-history-stops-at-288', make: oiHistoryStopsAt288 },
});
