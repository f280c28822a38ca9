import type { Step } from '../engine/spec-schema.ts';

/** Which node of the spec's anchor (within its region, when the spec has one) an operator acts on. */
export interface StepTarget {
  step: Step;
  /** The n-th match in source order (default 0). */
  nth?: number;
}

export type Operation =
  | { op: 'delete-statement'; target: StepTarget }
  | { op: 'swap-order'; target: StepTarget; other: StepTarget }
  | { op: 'wrap-if-false'; target: StepTarget }
  | { op: 'insert-early-return'; after: StepTarget }
  | { op: 'insert-statement'; after: StepTarget; text: string }
  | { op: 'empty-branch'; target: StepTarget }
  | { op: 'rename-anchor' }
  | { op: 'move-after-loop'; target: StepTarget; loop: Step }
  | { op: 'move-into-loop'; target: StepTarget; loop: Step }
  | { op: 'invert-if'; map: string }
  | { op: 'reformat' }
  | { op: 'replace-text'; find: string; replace: string }
  | { op: 'drop-dependency'; pkg: string; to: 'devDependencies' | 'nowhere' };

export type Operator = Operation['op'];

export interface MutantDef {
  id: string;
  specId: string;
  /** Defaults to the spec's file; replace-text and drop-dependency may name another. */
  file?: string;
  operation: Operation;
  /** 'static': the spec engine must kill it. 'probe': it keeps the structure, so a runtime probe must. */
  killer: 'static' | 'probe';
  /** Cannot change behaviour under the design: listed with the reason, left out of the score. */
  equivalentBecause?: string;
}

/** A behaviour-preserving rewrite: it must raise no failing finding. */
export interface RewriteDef {
  id: string;
  specId: string;
  description: string;
  operation: Operation;
}

export type MutantStatus = 'killed' | 'survived' | 'timeout' | 'excluded';

export interface MutantResult {
  id: string;
  specId: string;
  operator: Operator;
  status: MutantStatus;
  /** Failing spec ids and/or probe ids. */
  killedBy: string[];
  reason?: string;
}

export interface RewriteResult {
  id: string;
  specId: string;
  description: string;
  ok: boolean;
  falseAlarms: string[];
}

export interface MutationRun {
  mutants: MutantResult[];
  score: number;
  killed: number;
  survived: number;
  timeout: number;
  excluded: number;
  durationMs: number;
  equivalents: RewriteResult[];
}
