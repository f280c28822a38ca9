import type { ProbeDef } from '../probes/probe-types.ts';
import { CAPACITY_BOUNDS_LIST, config } from './config-ref.ts';
import { defineFix, type FixDefinition, type FixMutant } from './define-fix.ts';

type Keys = 'limit' | 'trim';

/**
 * A per-symbol series the manager keeps in a BoundedList: wherever something is stored into the collection
 * (found from the entry by what writes into it, through any helper), the configured limit is read and the
 * list trimmed to it, in that order, unconditionally.
 */
export function boundedSeries(o: {
  id: FixDefinition<Keys>['id'];
  /** The manager's collection, as a declaration ref ('MarketDataManager#trades'). */
  collection: string;
  limit: string;
  title: string;
  severity: 'critical' | 'major' | 'minor';
  why: string;
  mutants: ReadonlyArray<FixMutant<Keys>>;
  probe: Omit<ProbeDef, 'specIds'>;
}) {
  return defineFix<Keys>({
    id: o.id,
    title: o.title,
    severity: o.severity,
    why: o.why,
    anchor: { writes: o.collection },
    steps: {
      limit: { read: config(o.limit) },
      trim: { call: 'BoundedList#trimTo' },
    },
    assert: (s) => [
      { kind: 'dominates', steps: [s.limit, s.trim], at: 1 },
      { kind: 'flows-into', from: s.limit, to: s.trim },
    ],
    mutants: [
      ...o.mutants,
      { id: 'limit-x1000', killer: 'probe', op: { op: 'scale', target: 'limit', factor: 1000 } },
      { id: 'trim-noop', killer: 'probe', op: { op: 'scale-arg', target: 'trim', factor: 1000 }, equivalentBecause: CAPACITY_BOUNDS_LIST },
    ],
    probes: [{ ...o.probe, specIds: [o.id] }],
  });
}
