import type { Node, Project, SourceFile } from 'ts-morph';
import type { Spec } from '../engine/spec-schema.ts';

/**
 * A behaviour-preserving refactor of app/, as data: it edits a ts-morph Project in memory (the caller
 * decides whether to save) and says which files it changed. A rewrite that changes nothing returns an
 * empty list, and its test fails: a no-op cannot pass for "no false alarm".
 */
export interface Rewrite {
  id: string;
  /** What a reviewer would call the refactor. */
  description: string;
  apply(project: Project, targets: readonly AnchoredTarget[]): SourceFile[];
}

/** A function or method some spec anchors, found again in the (possibly already rewritten) project. */
export interface AnchoredTarget {
  spec: Spec;
  sf: SourceFile;
  /** The anchored function, method or arrow; the source file itself for a module anchor. */
  fn: Node;
}
