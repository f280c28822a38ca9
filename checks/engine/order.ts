import type { Node } from 'ts-morph';
import { conditionBetween, evaluatedBefore, exitAfter, exitIn, isShutdownExit, seqIndex, type Sequence } from './control-flow.ts';
import { exitLeavesRun, scopesOf } from './inline.ts';
import { excerpt } from './location.ts';
import type { Step } from './spec-schema.ts';
import { describeStep, findStepNodes } from './steps.ts';

/** A step to find, or a node already found (a loop, a guarded call). */
export type OrderItem = Step | { node: Node; label: string };
const isFixed = (i: OrderItem): i is { node: Node; label: string } => 'node' in i;
const labelOf = (i: OrderItem) => (isFixed(i) ? i.label : describeStep(i));

export type Ordered = { ok: true; nodes: Node[] } | { ok: false; reason: string; at?: Node };

/**
 * Picks, for each step in turn, the earliest node that runs unconditionally in the sequence after the
 * previous one, then rejects any return/throw/break/continue between consecutive steps. The last step must
 * lie in the region proper; earlier ones may be hoisted before it.
 */
export function orderSteps(seq: Sequence, steps: readonly OrderItem[], scope: Node, opts: { shutdownExitsAllowed?: boolean } = {}): Ordered {
  const chosen: Node[] = [];
  for (const [i, step] of steps.entries()) {
    const prev = chosen.at(-1);
    const all = (isFixed(step) ? [step.node] : findStepNodes(scopesOf(scope, seq), step)).filter((n) => seqIndex(seq, n) >= 0);
    if (all.length === 0) return { ok: false, reason: `${labelOf(step)} not found in the region` };
    const guarded = all.map((n) => ({ n, g: conditionBetween(n, seq.statements[seqIndex(seq, n)]!) }));
    const free = guarded.filter((x) => !x.g).map((x) => x.n);
    if (free.length === 0) {
      const first = guarded[0]!;
      return { ok: false, reason: `${labelOf(step)} is ${first.g!.reason}, so it may not run`, at: first.n };
    }
    const after = free.filter((n) => !prev || isAfter(seq, prev, n));
    const pick = i === steps.length - 1 ? after.find((n) => seqIndex(seq, n) >= seq.regionStart) : after[0];
    if (!pick) {
      const n = free[0]!;
      const what = prev ? `does not run after ${excerpt(prev, 40)}` : 'is not in the region proper';
      return { ok: false, reason: `${labelOf(step)} ${what}`, at: n };
    }
    if (prev) {
      const [a, b] = [seqIndex(seq, prev), seqIndex(seq, pick)];
      const own = seq.statements[a];
      const exits = [...(a < b && own ? [{ s: own, e: exitAfter(own, prev) }] : []), ...seq.statements.slice(a + 1, b).map((s) => ({ s, e: exitIn(s) }))];
      for (const { s, e } of exits) {
        if (e && exitLeavesRun(seq, s, e, seq.statements[b]!) && !(opts.shutdownExitsAllowed && isShutdownExit(e))) return { ok: false, reason: `\`${excerpt(e, 40)}\` between ${excerpt(prev, 40)} and ${labelOf(step)}`, at: e };
      }
    }
    chosen.push(pick);
  }
  return { ok: true, nodes: chosen };
}

function isAfter(seq: Sequence, a: Node, b: Node): boolean {
  const [ia, ib] = [seqIndex(seq, a), seqIndex(seq, b)];
  return ia < ib || (ia === ib && evaluatedBefore(a, b));
}
