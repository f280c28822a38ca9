/**
 * Mutant operators act on what a spec's own checks located (see LocatedNodes), never on text. `K` is a
 * step key of the fix (a key of its `steps`); the other names are what the assertions locate besides
 * steps: the anchor, the loop, an allowed guard, a returned object's property, the argument that carries
 * a flow, the periodic run of a call.
 */
export type LocatedKey<K extends string> = K | `${K}#periodic` | `${K}.carrier`;

export type Operation<K extends string = string> =
  /** Delete the statement holding the located node. */
  | { op: 'delete'; target: LocatedKey<K> }
  /** Swap the two statements holding the located nodes. */
  | { op: 'swap'; target: LocatedKey<K>; other: LocatedKey<K> }
  | { op: 'if-false'; target: LocatedKey<K> }
  | { op: 'early-return'; after: LocatedKey<K> }
  /** Empty the block (the branch) that holds the located statement. */
  | { op: 'empty-branch'; target: LocatedKey<K> }
  | { op: 'rename-anchor' }
  /** The located value times `factor` (a limit × 1000). */
  | { op: 'scale'; target: LocatedKey<K>; factor: number }
  /** An argument of the located call times `factor` (a trim that keeps everything, a sleep 1000× longer). */
  | { op: 'scale-arg'; target: LocatedKey<K>; factor: number; arg?: number }
  | { op: 'drop-last-arg'; target: LocatedKey<K> }
  /** The value reaching `target` (its flow carrier) replaced by the receiver of `from`: the untrimmed rows. */
  | { op: 'bypass'; target: K; from: K }
  /** The located loop also waits on a flag that is false when it starts (the original's bug). */
  | { op: 'flag-false-at-start' }
  | { op: 'move-after-loop'; target: LocatedKey<K> }
  | { op: 'move-into-loop'; target: LocatedKey<K> }
  /** A key of the returned object reports 0, or the opposite. */
  | { op: 'set-key'; key: string; to: 'zero' | 'negate' }
  | { op: 'drop-key'; key: string }
  /** The allowed opt-out guard around the located call, negated (the task off by default). */
  | { op: 'negate-guard' }
  /** A statement inserted before the located one (an exit before the service starts). */
  | { op: 'insert-before'; target: LocatedKey<K>; text: string }
  /** The located call moved into a function that is never called. */
  | { op: 'defer-into-closure'; target: LocatedKey<K> }
  | { op: 'drop-dependency'; pkg: string; to: 'devDependencies' | 'nowhere' };

export type Operator = Operation['op'];

export interface MutantDef {
  id: string;
  specId: string;
  operation: Operation;
  /** 'static': the spec engine must kill it. 'probe': it keeps the structure, so a runtime probe must. */
  killer: 'static' | 'probe';
  /** Cannot change behaviour under the design: listed with the reason, left out of the score. */
  equivalentBecause?: string;
}

/** A behaviour-preserving rewrite of one spec's file: it must raise no failing finding. */
export interface RewriteDef {
  id: string;
  specId: string;
  /** The root-relative file it rewrites. */
  file: string;
  description: string;
  /** The rewritten text of the file, or why it could not be rewritten. */
  rewrite: (text: string, file: string) => string;
}

/** 'defect': the mutant could not be made from what the spec located; a spec defect, never a survivor. */
export type MutantStatus = 'killed' | 'survived' | 'timeout' | 'excluded' | 'defect';

export interface MutantResult {
  id: string;
  specId: string;
  operator: Operator;
  status: MutantStatus;
  /** Failing spec ids and/or probe ids. */
  killedBy: string[];
  reason?: string;
  /** file:line:col of the node the mutant changed. */
  at?: string;
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
  defects: number;
  durationMs: number;
  equivalents: RewriteResult[];
}
