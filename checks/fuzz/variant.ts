import { OPERATORS } from './index.ts';
import type { FuzzProject } from './fuzz-project.ts';
import type { OperatorContext, RefactorOperator } from './operator-types.ts';
import { createRng } from './rng.ts';

export interface Variant {
  seed: number;
  /** The operators applied, in order. */
  ops: string[];
  changed: Map<string, string>;
  removed: string[];
}

const MAX_OPS = 4;

/** 1–4 operators picked and placed by `seed`, composed on the pristine project (each sees what the earlier left). */
export function makeVariant(fp: FuzzProject, seed: number, operators: readonly RefactorOperator[] = OPERATORS): Variant {
  fp.reset();
  const rng = createRng(seed);
  const want = 1 + rng.int(MAX_OPS);
  const ops: string[] = [];
  for (let tries = 0; ops.length < want && tries < want * 4; tries++) {
    const op = rng.pick(operators);
    if (op && applied(op, { project: fp.project, rng, files: () => fp.editable() })) ops.push(op.id);
  }
  return { seed, ops, ...fp.changes() };
}

/** An operator that throws (ts-morph refusing an edit) applied nothing that counts; the gate judges what it left. */
function applied(op: RefactorOperator, ctx: OperatorContext): boolean {
  try {
    return op.apply(ctx);
  } catch {
    return false;
  }
}
