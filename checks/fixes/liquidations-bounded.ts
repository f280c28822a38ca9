import { liquidationsStayBounded } from '../probes/series-probes.ts';
import { boundedSeries } from './bounded-series.ts';

export default boundedSeries({
  id: 'liquidations-bounded',
  collection: 'MarketDataManager#liquidations',
  limit: 'limits.liquidations',
  title: 'Liquidations are trimmed to their bound on every write',
  severity: 'major',
  why: 'Liquidation bursts come in thousands during a cascade; each symbol keeps only its bound.',
  mutants: [
    { id: 'delete-trim', killer: 'static', op: { op: 'delete', target: 'trim' } },
    { id: 'return-before-trim', killer: 'static', op: { op: 'early-return', after: 'limit' } },
  ],
  probe: { id: 'liquidations-keep-newest-bound', make: liquidationsStayBounded },
});
