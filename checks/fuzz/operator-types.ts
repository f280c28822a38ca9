import type { Project, SourceFile } from 'ts-morph';
import type { Rng } from './rng.ts';

/**
 * A behaviour-preserving refactor as an editor or a colleague would make it. `apply` picks one place among
 * those it applies to (by `rng`) and edits the in-memory project; false when it applies nowhere. Operators
 * do not check that the result typechecks or keeps behaviour: the fuzzer's gate does (tsc, app's unit
 * tests), and a variant that fails the gate does not count.
 */
export interface RefactorOperator {
  id: string;
  description: string;
  apply(ctx: OperatorContext): boolean;
}

export interface OperatorContext {
  project: Project;
  rng: Rng;
  /** The service's source files an operator may edit (no tests, test support, emulator or benches). */
  files(): SourceFile[];
}
