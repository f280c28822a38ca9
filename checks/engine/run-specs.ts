import { Node } from 'ts-morph';
import { describeAnchor, resolveAnchor } from './anchor.ts';
import { checkAssertion } from './assertions/index.ts';
import type { AssertContext } from './assertions/context.ts';
import { dependencyHygiene } from './assertions/dependency-hygiene.ts';
import { wholeBlock } from './control-flow.ts';
import type { Finding } from './finding.ts';
import { fail, toFinding } from './location.ts';
import { resolveRegion } from './region.ts';
import type { SourceSet } from './source-set.ts';
import type { Spec } from './spec-schema.ts';

/** One finding per assertion; a spec whose file, anchor or region is missing yields one failing 'anchor' finding. */
export function checkSpec(spec: Spec, sources: SourceSet): Finding[] {
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
  for (const a of anchored) {
    findings.push(toFinding(spec, a.kind, spec.file, checkAssertion(a, ctx)));
  }
  return findings;
}

export function checkSpecs(specs: readonly Spec[], sources: SourceSet): Finding[] {
  return specs.flatMap((s) => checkSpec(s, sources));
}

/** Spec ids with at least one failing finding. */
export const failedSpecIds = (findings: readonly Finding[]) => [...new Set(findings.filter((f) => !f.ok).map((f) => f.specId))];
