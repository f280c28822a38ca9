import path from 'node:path';
import { Node, type Project } from 'ts-morph';
import { resolveAnchor } from '../engine/anchor.ts';
import { createSourceSet } from '../engine/source-set.ts';
import type { Spec } from '../engine/spec-schema.ts';
import type { AnchoredTarget } from './rewrite-types.ts';

/** The node of `project` at the same file, start and kind as `n` (found by the engine in its own program). */
function counterpartIn(project: Project, root: string, rel: string, n: Node): Node | undefined {
  const sf = project.getSourceFile(path.join(root, rel));
  if (!sf) return undefined;
  if (Node.isSourceFile(n)) return sf;
  for (let c: Node | undefined = sf.getDescendantAtPos(n.getStart()); c; c = c.getParent()) if (c.getKind() === n.getKind() && c.getStart() === n.getStart()) return c;
  return undefined;
}

/**
 * Every function the specs anchor, found by the engine from the entry in `project` (rooted at `root`;
 * what earlier rewrites changed in memory is read as an overlay, nothing is saved), one entry per spec and site.
 */
export function anchoredTargets(project: Project, root: string, specs: readonly Spec[]): AnchoredTarget[] {
  const sources = createSourceSet(root);
  const changed = project.getSourceFiles().flatMap((sf) => {
    const rel = path.relative(root, sf.getFilePath());
    return sf.getFullText() === sources.text(rel) ? [] : [[rel, sf.getFullText()] as const];
  });
  sources.setOverlay(new Map(changed));
  return specs.flatMap((spec) => {
    const anchored = spec.anchor ? resolveAnchor(sources, spec.anchor) : undefined;
    if (!anchored?.ok) return [];
    return anchored.sites.flatMap((site) => {
      const rel = sources.relativeOf(site.fn.getSourceFile());
      const fn = rel === undefined ? undefined : counterpartIn(project, root, rel, site.fn);
      return fn ? [{ spec, sf: fn.getSourceFile(), fn }] : [];
    });
  });
}

/** The same function anchored by several specs (storeOhlcv's two regions) is rewritten once. */
export const distinctFunctions = (targets: readonly AnchoredTarget[]): AnchoredTarget[] =>
  targets.filter((t, i) => targets.findIndex((u) => u.fn === t.fn) === i);
