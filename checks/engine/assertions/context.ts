import type { Node, SourceFile } from 'ts-morph';
import type { AnchorBody } from '../anchor.ts';
import type { Sequence } from '../control-flow.ts';
import type { Verdict } from '../location.ts';
import type { SourceSet } from '../source-set.ts';
import type { Assertion, AssertionOf, Spec } from '../spec-schema.ts';

/** What an assertion sees: the spec's file, its anchor and (when the spec names one) its region. */
export interface AssertContext {
  spec: Spec;
  sources: SourceSet;
  sf?: SourceFile;
  fn?: Node;
  body?: AnchorBody;
  /** The region's straight-line run, or the anchor body's statements. */
  seq?: Sequence;
}

export type AnchoredContext = Required<AssertContext>;

export type AssertionCheck<K extends Assertion['kind']> = (a: AssertionOf<K>, ctx: AssertContext) => Verdict;

export function needsAnchor(ctx: AssertContext): AnchoredContext | undefined {
  return ctx.sf && ctx.fn && ctx.body && ctx.seq ? (ctx as AnchoredContext) : undefined;
}
