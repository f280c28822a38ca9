import type { SpecInput, Step } from '../engine/spec-schema.ts';
import type { Operation } from '../mutants/mutant-types.ts';
import type { ProbeDef } from '../probes/probe-types.ts';
import type { FixId } from './index.ts';

/**
 * One fix, one module: where the fix lives (its spec), the mutants that prove the spec has teeth, and the
 * runtime probes that prove the behaviour. Mutants name the steps by key, so a mutant of a step the spec
 * does not have fails `tsc`, and the id must be one of FIX_IDS.
 */

export interface FixMutant<K extends string> {
  /** Unique within the fix; the report shows `<fix id>/<id>`. */
  id: string;
  op: Operation<K>;
  /** 'static': the spec engine must kill it. 'probe': it keeps the structure, so a runtime probe must. */
  killer: 'static' | 'probe';
  /** Cannot change behaviour under the design: listed with the reason, left out of the score. */
  equivalentBecause?: string;
}

export interface FixDefinition<K extends string> extends Omit<SpecInput, 'id' | 'assert'> {
  id: FixId;
  /** The declarations the assertions and the mutants refer to, by key. */
  steps: Record<K, Step>;
  assert: (steps: { [P in NoInfer<K>]: Step & { as: P } }) => SpecInput['assert'];
  mutants: ReadonlyArray<FixMutant<NoInfer<K>>>;
  probes?: readonly ProbeDef[];
}

export interface FixModule {
  id: FixId;
  spec: SpecInput;
  mutants: ReadonlyArray<{ id: string; specId: FixId; operation: Operation; killer: 'static' | 'probe'; equivalentBecause?: string }>;
  probes: readonly ProbeDef[];
}

export function defineFix<K extends string>(def: FixDefinition<K>): FixModule {
  const { steps, assert, mutants, probes = [], ...meta } = def;
  const named = Object.fromEntries(Object.entries<Step>(steps).map(([k, s]) => [k, { ...s, as: k }])) as { [P in K]: Step & { as: P } };
  return {
    id: def.id,
    spec: { ...meta, assert: assert(named) },
    mutants: mutants.map((m) => ({
      id: `${def.id}/${m.id}`,
      specId: def.id,
      operation: m.op,
      killer: m.killer,
      ...(m.equivalentBecause ? { equivalentBecause: m.equivalentBecause } : {}),
    })),
    probes,
  };
}
