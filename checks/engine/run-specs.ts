import { Node } from 'ts-morph';
import { describeAnchor, resolveAnchor } from './anchor.ts';
import { checkAssertion } from './assertions/index.ts';
import type { AssertContext } from './assertions/context.ts';
import { dependencyHygiene } from './assertions/dependency-hygiene.ts';
import { wholeBlock } from './control-flow.ts';
import type { Finding } from './finding.ts';
import { inlineHelpers, helperOf } from './inline.ts';
import { fail, toFinding, where } from './location.ts';
import { enclosingStatement } from './steps.ts';
import type { Sequence } from './control-flow.ts';
import { resolveRegion } from './region.ts';
import type { SourceSet } from './source-set.ts';
import type { Spec } from './spec-schema.ts';

/** What a spec's checks located, by key: the nodes its mutants are made from (in the unmutated tree). */
export type LocatedNodes = Map<string, Node>;

/** One finding per assertion; a spec whose file, anchor or region is missing yields one failing 'anchor' finding. */
export function checkSpec(spec: Spec, sources: SourceSet, located: LocatedNodes = new Map()): Finding[] {
  const findings: Finding[] = [];
  const anchored = spec.assert.filter((a): a is Exclude<typeof a, { kind: 'dependency-hygiene' }> => a.kind !== 'dependency-hygiene');
  for (const a of spec.assert) {
    if (a.kind !== 'dependency-hygiene') continue;
    for (const v of dependencyHygiene(a, sources))
      findings.push({ specId: spec.id, ok: v.ok, message: v.message, file: v.file, line: v.line, col: v.col, check: a.kind, severity: spec.severity });
  }
  if (anchored.length === 0) return findings;

  const sf = sources.sourceFile(spec.file);
  if (!sf) return [...findings, toFinding(spec, 'anchor', spec.file, fail(`file missing: ${spec.file}`))];
  if (!spec.anchor) return [...findings, toFinding(spec, 'anchor', spec.file, fail('spec has source assertions but no anchor'))];
  const anchor = resolveAnchor(sf, spec.anchor);
  if (!anchor.ok) return [...findings, toFinding(spec, 'anchor', spec.file, fail(anchor.reason, anchor.near))];
  const ctx: AssertContext = { spec, sources, sf, fn: anchor.fn, body: anchor.body, seq: wholeBlock(anchor.body.getStatements()) };
  if (spec.region) {
    if (!Node.isBlock(anchor.body)) return [...findings, toFinding(spec, 'anchor', spec.file, fail(`a ${spec.region.kind} region needs a function or method anchor`))];
    const region = resolveRegion(anchor.body, spec.region);
    if (!region.ok) return [...findings, toFinding(spec, 'anchor', spec.file, fail(`${describeAnchor(spec.anchor)}: ${region.reason}`, anchor.fn))];
    ctx.seq = region.seq;
  }
  ctx.seq = inlineHelpers(ctx.seq!, anchor.fn);
  located.set('anchor', anchor.fn);
  for (const a of anchored) {
    const v = checkAssertion(a, ctx);
    for (const [k, n] of Object.entries(v.located ?? {})) if (!located.has(k)) located.set(k, n);
    findings.push(toFinding(spec, a.kind, spec.file, { ...v, message: v.message + viaHelper(v.node, ctx.seq!, spec.file) }));
  }
  return findings;
}

/** A finding inside a spliced helper names both places: the helper's code and the call that reaches it. */
function viaHelper(node: Node | undefined, seq: Sequence, file: string): string {
  const stmt = node && enclosingStatement(node);
  const h = stmt && helperOf(seq, stmt);
  return h ? ` (in ${h.name} at ${where(node!, file)}, called at ${where(h.call, file)})` : '';
}

export function checkSpecs(specs: readonly Spec[], sources: SourceSet): Finding[] {
  return specs.flatMap((s) => checkSpec(s, sources));
}

/** Spec ids with at least one failing finding. */
export const failedSpecIds = (findings: readonly Finding[]) => [...new Set(findings.filter((f) => !f.ok).map((f) => f.specId))];
