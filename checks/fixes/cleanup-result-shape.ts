import { CLEANUP_RESULT_KEYS, cleanupReportsWhatItDid } from '../probes/cleanup-result-probe.ts';
import { defineFix } from './define-fix.ts';
import { everyCollectionEvicts } from '../probes/eviction-probe.ts';

export default defineFix({
  id: 'cleanup-result-shape',
  title: 'The cleanup reports what it trimmed and the memory before and after',
  severity: 'major',
  why: 'The startup log line (the deploy proof) and the metrics need measured counts and RSS before and after, not a bare "done".',
  anchor: { returns: 'CleanupResult' },
  steps: {
    memoryBefore: { call: 'MemoryProbe#rssMb', label: 'memory before' },
    evict: { call: 'MarketDataManager#evictUntracked', label: 'the eviction' },
    memoryAfter: { call: 'MemoryProbe#rssMb', label: 'memory after' },
  },
  assert: (s) => [
    { kind: 'return-shape', keys: [...CLEANUP_RESULT_KEYS] },
    { kind: 'dominates', steps: [s.memoryBefore, s.evict, s.memoryAfter] },
  ],
  mutants: [
    { id: 'rename-method', killer: 'probe', op: { op: 'rename-anchor' } },
    { id: 'memory-before-after-work', killer: 'static', op: { op: 'swap', target: 'memoryBefore', other: 'evict' } },
    { id: 'drop-evicted-key', killer: 'static', op: { op: 'drop-key', key: 'evicted' } },
    { id: 'trims-not-counted', killer: 'probe', op: { op: 'set-key', key: 'ohlcvTrimmed', to: 'zero' } },
    { id: 'eviction-not-reported', killer: 'probe', op: { op: 'set-key', key: 'evicted', to: 'zero' } },
    { id: 'gc-not-reported', killer: 'probe', op: { op: 'set-key', key: 'gcRan', to: 'negate' } },
  ],
  probes: [
    { id: 'cleanup-reports-what-it-did', specIds: ['cleanup-result-shape'], make: cleanupReportsWhatItDid },
    { id: 'every-collection-evicts', specIds: ['cleanup-result-shape'], make: everyCollectionEvicts },
  ],
});
