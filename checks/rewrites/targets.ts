import path from 'node:path';
import type { Project } from 'ts-morph';
import { resolveAnchor } from '../engine/anchor.ts';
import type { Spec } from '../engine/spec-schema.ts';
import type { AnchoredTarget } from './rewrite-types.ts';

/** Every function the specs anchor, resolved in `project` (rooted at `root`), one entry per spec. */
export function anchoredTargets(project: Project, root: string, specs: readonly Spec[]): AnchoredTarget[] {
  return specs.flatMap((spec) => {
    const sf = spec.anchor ? project.getSourceFile(path.join(root, spec.file)) : undefined;
    const anchored = sf && spec.anchor ? resolveAnchor(sf, spec.anchor) : undefined;
    return sf && anchored?.ok ? [{ spec, sf, fn: anchored.fn }] : [];
  });
}

/** The same function anchored by several specs (storeOhlcv's two regions) is rewritten once. */
export const distinctFunctions = (targets: readonly AnchoredTarget[]): AnchoredTarget[] =>
  targets.filter((t, i) => targets.findIndex((u) => u.fn === t.fn) === i);
