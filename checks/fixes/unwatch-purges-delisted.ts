import { CHURN_PROBE_TIMEOUT_MS, delistedSymbolsLeaveNoState } from '../probes/churn-probe.ts';
import { defineFix } from './define-fix.ts';

export default defineFix({
  id: 'unwatch-purges-delisted',
  title: 'Eviction unsubscribes with the ids captured at subscribe time and always purges ccxt state, listed or not',
  severity: 'critical',
  why: "When the exchange delisted a symbol, unwatch looked its id up in the reloaded market table: ex.marketId() threw BadSymbol, so no unsubscribe was sent and ccxt's ~15 per-symbol cache entries were never purged, for every delisted symbol.",
  anchor: { calls: 'Watches#unsubscribe' },
  steps: {
    topics: { read: 'Watched#topics', label: 'the ids captured at subscribe time (w.topics)' },
    unsubscribe: { call: 'Watches#unsubscribe' },
    purge: { call: 'purgeProEntries' },
  },
  assert: (s) => [
    { kind: 'flows-into', from: s.topics, to: s.unsubscribe },
    { kind: 'runs-unconditionally', step: s.purge },
  ],
  mutants: [
    { id: 'drop-purge', killer: 'static', op: { op: 'delete', target: 'purge' } },
    { id: 'purge-if-false', killer: 'static', op: { op: 'if-false', target: 'purge' } },
    { id: 'skip-purge-when-unlisted', killer: 'static', op: { op: 'insert-before', target: 'purge', text: 'if (this.d.ex.markets?.[symbol] === undefined) return;' } },
    // Without the unsubscribe the spec has nothing to anchor on (not located); the churn probe sees the server still pushing.
    { id: 'drop-unsubscribe', killer: 'probe', op: { op: 'delete', target: 'unsubscribe' } },
    // The original: the id looked up again in the market table, which throws BadSymbol once the symbol is gone.
    { id: 'market-lookup-again', killer: 'probe', op: { op: 'insert-before', target: 'unsubscribe', text: 'this.d.ex.marketId(symbol);' } },
  ],
  probes: [
    {
      id: 'delisted-symbols-leave-no-ccxt-state',
      specIds: ['unwatch-purges-delisted'],
      make: delistedSymbolsLeaveNoState,
      timeoutMs: CHURN_PROBE_TIMEOUT_MS,
      spawns: true,
    },
  ],
});
