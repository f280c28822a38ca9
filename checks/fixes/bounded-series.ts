import type { ProbeDef } from '../probes/probe-types.ts';
import { CAPACITY_BOUNDS_LIST, MANAGER, config } from './app-files.ts';
import { defineFix, type FixDefinition, type FixMutant } from './define-fix.ts';

type Keys = 'limit' | 'list' | 'append' | 'trim';

/** A per-symbol series the manager keeps in a BoundedList: read its limit, get the list, append, trim to the limit. */
export function boundedSeries(o: {
  id: FixDefinition<Keys>['id'];
  method: string;
  limit: string;
  /** The call that adds rows to the list; default appendNewer. */
  append?: string;
  title: string;
  severity: 'critical' | 'major' | 'minor';
  why: string;
  mutants: ReadonlyArray<FixMutant<Keys>>;
  probe: Omit<ProbeDef, 'specIds' | 'covers'>;
}) {
  return defineFix<Keys>({
    id: o.id,
    title: o.title,
    severity: o.severity,
    why: o.why,
    file: MANAGER,
    anchor: { class: 'MarketDataManager', method: o.method },
    steps: {
      limit: { read: config(o.limit) },
      list: { call: 'listFor' },
      append: { call: o.append ?? 'appendNewer' },
      trim: { call: 'BoundedList#trimTo' },
    },
    assert: (s) => [
      { kind: 'dominates', steps: [s.limit, s.list, s.append, s.trim], at: 3 },
      { kind: 'flows-into', from: s.limit, to: s.trim },
    ],
    mutants: [
      ...o.mutants,
      { id: 'limit-x1000', killer: 'probe', op: { op: 'scale', target: 'limit', factor: 1000 } },
      { id: 'trim-noop', killer: 'probe', op: { op: 'scale-arg', target: 'trim', factor: 1000 }, equivalentBecause: CAPACITY_BOUNDS_LIST },
    ],
    probes: [{ ...o.probe, specIds: [o.id], covers: [MANAGER] }],
  });
}
