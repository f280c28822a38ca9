import { Node, type Block, type SourceFile } from 'ts-morph';
import type { Anchor } from './spec-schema.ts';

/** A function's block, or the source file itself for a module anchor (its top-level statements). */
export type AnchorBody = Block | SourceFile;

export type Anchored =
  | { ok: true; fn: Node; body: AnchorBody; name: string }
  | { ok: false; reason: string; near?: Node };

export const describeAnchor = (a: Anchor) => (a.module ? 'module top level' : a.function ? `function ${a.function}` : `${a.class}.${a.method}`);

/**
 * Finds the function or method a spec is about. A missing anchor is a failure, never a skip: a renamed or
 * deleted method must not make its spec pass silently.
 */
export function resolveAnchor(sf: SourceFile, anchor: Anchor): Anchored {
  if (anchor.module) return { ok: true, fn: sf, body: sf, name: `${sf.getBaseName()} (top level)` };
  if (anchor.function) {
    const decl = sf.getFunction(anchor.function);
    const fn = decl ?? arrowConst(sf, anchor.function);
    if (!fn) return { ok: false, reason: `anchor missing: no function ${anchor.function} in ${sf.getBaseName()}` };
    const body = bodyOf(fn);
    if (!body) return { ok: false, reason: `anchor ${anchor.function} has no block body`, near: fn };
    return { ok: true, fn, body, name: anchor.function };
  }
  const cls = sf.getClass(anchor.class ?? '');
  if (!cls) return { ok: false, reason: `anchor missing: no class ${anchor.class} in ${sf.getBaseName()}` };
  const method = cls.getMethod(anchor.method ?? '');
  if (!method) return { ok: false, reason: `anchor missing: class ${anchor.class} has no method ${anchor.method}`, near: cls };
  const body = method.getBody();
  if (!body || !Node.isBlock(body)) return { ok: false, reason: `anchor ${describeAnchor(anchor)} has no body`, near: method };
  return { ok: true, fn: method, body, name: `${anchor.class}.${anchor.method}` };
}

function arrowConst(sf: SourceFile, name: string): Node | undefined {
  const init = sf.getVariableDeclaration(name)?.getInitializer();
  return init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init)) ? init : undefined;
}

function bodyOf(fn: Node): Block | undefined {
  if (Node.isFunctionDeclaration(fn) || Node.isArrowFunction(fn) || Node.isFunctionExpression(fn)) {
    const b = fn.getBody();
    return b && Node.isBlock(b) ? b : undefined;
  }
  return undefined;
}
