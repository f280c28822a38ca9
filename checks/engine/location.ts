import type { Node } from 'ts-morph';
import type { Finding } from './finding.ts';
import type { Spec } from './spec-schema.ts';

export interface Verdict {
  ok: boolean;
  message: string;
  /** Where the fix (or the failure) is; the spec's file at 1:1 when undefined. */
  node?: Node;
  deferredTo?: string;
  /** A shape the engine cannot read: not a violation, the behaviour decides. */
  notLocated?: true;
  /** The nodes the check located, by step key (see stepKey) or role ('loop', 'guard', 'key:evicted', …): what mutants act on. */
  located?: Record<string, Node>;
}

export function toFinding(spec: Spec, check: string, file: string, v: Verdict): Finding {
  const pos = v.node ? v.node.getSourceFile().getLineAndColumnAtPos(v.node.getStart()) : { line: 1, column: 1 };
  return {
    specId: spec.id,
    ok: v.ok,
    message: v.message,
    file,
    line: pos.line,
    col: pos.column,
    check,
    severity: spec.severity,
    ...(v.deferredTo ? { deferredTo: v.deferredTo } : {}),
    ...(v.notLocated ? { notLocated: true as const } : {}),
  };
}

export const pass = (message: string, node?: Node, located?: Record<string, Node>): Verdict => ({ ok: true, message, ...(node ? { node } : {}), ...(located ? { located } : {}) });

/** file:line:col of a node, root-relative when `rel` names its file. */
export function where(node: Node, rel: string): string {
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
  return `${rel}:${line}:${column}`;
}
export const fail = (message: string, node?: Node): Verdict => ({ ok: false, message, ...(node ? { node } : {}) });
/** The engine cannot read this shape: said with its reason, and left to the probes and the soak. */
export const notLocated = (reason: string, node?: Node): Verdict => ({ ok: false, notLocated: true, message: `not located: ${reason}`, ...(node ? { node } : {}) });

/** One-line source excerpt for messages. */
export function excerpt(node: Node, max = 60): string {
  const t = node.getText().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}
