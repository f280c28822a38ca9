import { tradesStayBounded } from '../probes/series-probes.ts';
import { boundedSeries } from './bounded-series.ts';

export default boundedSeries({
  id: 'trades-bounded',
  method: 'storeTrades',
  append: 'mergeByKey',
  limit: 'limits.trades',
  title: 'Recent trades are trimmed to their bound on every write',
  severity: 'major',
  why: 'Trades arrive on every WebSocket push; an unbounded list is the fastest-growing structure after OHLCV.',
  mutants: [
    { id: 'delete-trim', killer: 'static', op: { op: 'delete', target: 'trim' } },
    { id: 'trim-if-false', killer: 'static', op: { op: 'if-false', target: 'trim' } },
  ],
  probe: { id: 'trades-keep-newest-bound', make: tradesStayBounded },
});
