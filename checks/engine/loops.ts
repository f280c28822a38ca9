import { descendantsOf } from './descendants.ts';
import { Node } from 'ts-morph';
import { encloses, isFunctionBoundary } from './control-flow.ts';
import type { Step } from './spec-schema.ts';
import { findStepNodes } from './steps.ts';

export type LoopNode = Node & { getStatement(): Node };

export const isLoopNode = (n: Node): n is LoopNode =>
  Node.isWhileStatement(n) || Node.isDoStatement(n) || Node.isForStatement(n) || Node.isForOfStatement(n) || Node.isForInStatement(n);

/** The first loop of the function (not of a nested one) whose body realises `holding`. */
export function loopHolding(scopes: Node | readonly Node[], holding: Step): LoopNode | undefined {
  const all = (Array.isArray(scopes) ? scopes : [scopes]) as readonly Node[];
  const marks = findStepNodes(all, holding);
  return all
    .flatMap((s) => [s, ...descendantsOf(s)].filter((l) => l === s || !crossesFunction(l, s)))
    .filter(isLoopNode)
    .find((loop) => marks.some((m) => encloses(loop.getStatement(), m)));
}

function crossesFunction(n: Node, stop: Node): boolean {
  for (let p = n.getParent(); p && p !== stop; p = p.getParent()) if (isFunctionBoundary(p)) return true;
  return false;
}

/** The loop body as a list of statements. */
export function loopStatements(loop: LoopNode): Node[] {
  const s = loop.getStatement();
  return Node.isBlock(s) ? s.getStatements() : [s];
}
