import { Node } from 'ts-morph';
import { describeAnchor, resolveAnchor, type AnchorSite } from './anchor.ts';
import { checkAssertion } from './assertions/index.ts';
import type { AssertContext } from './assertions/context.ts';
import { dependencyHygiene } from './assertions/dependency-hygiene.ts';
import { wholeBlock, type Sequence } from './control-flow.ts';
import type { Finding } from './finding.ts';
import { inlineHelpers, helperOf } from './inline.ts';
import { notLocated, toFinding, where } from './location.ts';
import { enclosingStatement } from './steps.ts';
import { resolveRegion } from './region.ts';
import type { SourceSet } from './source-set.ts';
import type { Spec } from './spec-schema.ts';

/** What a spec's checks located, by key: the nodes its mutants are made from (in the unmutated tree). */
export type LocatedNodes = Map<string, Node>;

type Anchored = Exclude<Spec['assert'][number], { kind: 'dependency-hygiene' }>;

/**
 * One finding per assertion and anchor site. Where nothing reached from the entry has the anchor's
 * property, one 'anchor' finding says so as "not located": no verdict of its own, the behaviour decides.
 */
export function checkSpec(spec: Spec, sources: SourceSet, located: LocatedNodes = new Map()): Finding[] {
  const findings: Finding[] = [];
  const anchored = spec.assert.filter((a): a is Anchored => a.kind !== 'dependency-hygiene');
  for (const a of spec.assert) {
    if (a.kind !== 'dependency-hygiene') continue;
    for (const v of dependencyHygiene(a, sources))
      findings.push({ specId: spec.id, ok: v.ok, message: v.message, file: v.file, line: v.line, col: v.col, check: a.kind, severity: spec.severity });
  }
  if (anchored.length === 0) return findings;
  if (!spec.anchor) return [...findings, toFinding(spec, 'anchor', 'package.json', notLocated('spec has source assertions but no anchor'))];
  const anchor = resolveAnchor(sources, spec.anchor);
  if (!anchor.ok) return [...findings, toFinding(spec, 'anchor', 'package.json', notLocated(anchor.reason))];
  for (const site of anchor.sites) findings.push(...checkSite(spec, sources, site, anchored, located));
  return findings;
}

function checkSite(spec: Spec, sources: SourceSet, site: AnchorSite, asserts: readonly Anchored[], located: LocatedNodes): Finding[] {
  const sf = site.fn.getSourceFile();
  const file = sources.relativeOf(sf) ?? sf.getBaseName();
  const ctx: AssertContext = { spec, sources, sf, fn: site.fn, body: site.body, seq: wholeBlock(site.body.getStatements()) };
  if (spec.region) {
    if (!Node.isBlock(site.body)) return [toFinding(spec, 'anchor', file, notLocated(`a ${spec.region.kind} region needs a function anchor`))];
    const region = resolveRegion(site.body, spec.region);
    if (!region.ok) return [toFinding(spec, 'anchor', file, notLocated(`${site.name} (${describeAnchor(spec.anchor ?? {})}): ${region.reason}`, site.fn))];
    ctx.seq = region.seq;
  }
  const seq = (ctx.seq = inlineHelpers(ctx.seq ?? wholeBlock([]), site.fn));
  if (!located.has('anchor')) located.set('anchor', site.fn);
  return asserts.map((a) => {
    const v = checkAssertion(a, ctx);
    for (const [k, n] of Object.entries(v.located ?? {})) if (!located.has(k)) located.set(k, n);
    const at = v.node ? sources.relativeOf(v.node.getSourceFile()) ?? file : file;
    return toFinding(spec, a.kind, at, { ...v, message: `${site.name}: ${v.message}${viaHelper(v.node, seq, sources)}` });
  });
}

/** A finding inside a spliced helper names both places: the helper's code and the call that reaches it. */
function viaHelper(node: Node | undefined, seq: Sequence, sources: SourceSet): string {
  const stmt = node && enclosingStatement(node);
  const h = stmt && helperOf(seq, stmt);
  if (!node || !h) return '';
  const rel = (n: Node) => sources.relativeOf(n.getSourceFile()) ?? n.getSourceFile().getBaseName();
  return ` (in ${h.name} at ${where(node, rel(node))}, called at ${where(h.call, rel(h.call))})`;
}

export function checkSpecs(specs: readonly Spec[], sources: SourceSet): Finding[] {
  return specs.flatMap((s) => checkSpec(s, sources));
}

/** Spec ids with a located violation (a not-located finding is no violation: the behaviour decides). */
export const failedSpecIds = (findings: readonly Finding[]) => [...new Set(findings.filter((f) => !f.ok && !f.notLocated).map((f) => f.specId))];

/** Spec ids the engine could not locate, with no located violation. */
export const notLocatedSpecIds = (findings: readonly Finding[]) => {
  const failed = new Set(failedSpecIds(findings));
  return [...new Set(findings.filter((f) => f.notLocated).map((f) => f.specId))].filter((id) => !failed.has(id));
};
