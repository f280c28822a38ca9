import { Node, type BindingElement } from 'ts-morph';
import type { LocatedNodes } from '../engine/run-specs.ts';
import { enclosingStatement } from '../engine/steps.ts';
import { resolverOf, type OriginMap } from '../engine/symbols.ts';
import { loopStatements, isLoopNode } from '../engine/loops.ts';
import type { SourceSet } from '../engine/source-set.ts';
import type { Operation } from './mutant-types.ts';
import { parsePackageManifest } from '../package-manifest.ts';

/**
 * A mutant's text, computed from the nodes the spec located in the unmutated tree. Each edit replaces a
 * span with literal text and copied ranges of the original, so the result carries a position map back to
 * the original: the re-check resolves copied code from the original's type-checker answers.
 */
export type Applied = { ok: true; file: string; text: string; origins?: OriginMap; at?: Node } | { ok: false; reason: string };

type Part = string | { from: number; to: number };
interface Edit {
  start: number;
  end: number;
  parts: Part[];
}

const copy = (n: Node): Part => ({ from: n.getStart(), to: n.getEnd() });

export function applyEdits(text: string, edits: readonly Edit[]): { text: string; origins: OriginMap } | string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.start < sorted[i - 1]!.end) return 'the edits overlap';
  const segments: Array<{ at: number; from: number; len: number }> = [];
  let out = '';
  const take = (from: number, to: number) => {
    segments.push({ at: out.length, from, len: to - from });
    out += text.slice(from, to);
  };
  let cursor = 0;
  for (const e of sorted) {
    take(cursor, e.start);
    for (const p of e.parts) {
      if (typeof p === 'string') out += p;
      else take(p.from, p.to);
    }
    cursor = e.end;
  }
  take(cursor, text.length);
  const origins: OriginMap = (pos) => {
    const s = segments.find((x) => pos >= x.at && pos < x.at + x.len);
    return s ? s.from + (pos - s.at) : undefined;
  };
  return { text: out, origins };
}

/** The call a located node stands for: itself, the call it awaits, or the call a const it awaits holds. */
function callOf(n: Node): Node | undefined {
  if (Node.isCallExpression(n)) return n;
  if (Node.isAwaitExpression(n)) return callOf(n.getExpression());
  if (Node.isIdentifier(n)) {
    const d = resolverOf(n).localDeclaration(n);
    const init = d && Node.isVariableDeclaration(d) ? d.getInitializer() : undefined;
    return init ? callOf(init) : undefined;
  }
  return undefined;
}

const statement = (n: Node) => enclosingStatement(n);

/** A destructured read times `factor`: the binding takes the raw value under another name, then the scaled one. */
function scaleBinding(b: BindingElement, factor: number): { edits: Edit[]; at: Node } | string {
  const name = b.getNameNode();
  const list = b.getFirstAncestor(Node.isVariableDeclarationList);
  const stmt = statement(b);
  if (!Node.isIdentifier(name) || !list || !stmt) return `${b.getText()} is not a destructured local`;
  const raw = `${name.getText()}Unscaled`;
  const keyed = b.getPropertyNameNode() ? raw : `${name.getText()}: ${raw}`;
  const kind = list.getDeclarationKind();
  return {
    edits: [
      { start: name.getStart(), end: name.getEnd(), parts: [keyed] },
      { start: stmt.getEnd(), end: stmt.getEnd(), parts: [`\n${kind} ${name.getText()} = (${raw} * ${factor});`] },
    ],
    at: b,
  };
}

function editsFor(op: Exclude<Operation, { op: 'drop-dependency' }>, get: (key: string) => Node | string): { edits: Edit[]; at: Node } | string {
  const node = (key: string) => get(key);
  const stmtOf = (key: string): Node | string => {
    const n = node(key);
    return typeof n === 'string' ? n : (statement(n) ?? `no statement holds ${key}`);
  };
  switch (op.op) {
    case 'delete': {
      const s = stmtOf(op.target);
      return typeof s === 'string' ? s : { edits: [{ start: s.getStart(), end: s.getEnd(), parts: [] }], at: s };
    }
    case 'swap': {
      const [a, b] = [stmtOf(op.target), stmtOf(op.other)];
      if (typeof a === 'string') return a;
      if (typeof b === 'string') return b;
      if (a === b) return `${op.target} and ${op.other} are in one statement`;
      if (a.getStart() < b.getEnd() && b.getStart() < a.getEnd()) return `${op.target} and ${op.other} are nested statements`;
      return {
        edits: [
          { start: a.getStart(), end: a.getEnd(), parts: [copy(b)] },
          { start: b.getStart(), end: b.getEnd(), parts: [copy(a)] },
        ],
        at: a,
      };
    }
    case 'if-false': {
      const s = stmtOf(op.target);
      return typeof s === 'string' ? s : { edits: [{ start: s.getStart(), end: s.getEnd(), parts: ['if (false) { ', copy(s), ' }'] }], at: s };
    }
    case 'early-return': {
      const s = stmtOf(op.after);
      return typeof s === 'string' ? s : { edits: [{ start: s.getEnd(), end: s.getEnd(), parts: ['\nreturn undefined as never;'] }], at: s };
    }
    case 'empty-branch': {
      const s = stmtOf(op.target);
      if (typeof s === 'string') return s;
      const block = s.getParent();
      return block && Node.isBlock(block) ? { edits: [{ start: block.getStart(), end: block.getEnd(), parts: ['{}'] }], at: block } : `${op.target} is not in a block`;
    }
    case 'rename-anchor': {
      const fn = node('anchor');
      if (typeof fn === 'string') return fn;
      const name = Node.isMethodDeclaration(fn) || Node.isFunctionDeclaration(fn) ? fn.getNameNode() : fn.getParent() && Node.isVariableDeclaration(fn.getParent()!) ? fn.getParentOrThrow() : undefined;
      const id = name && Node.isVariableDeclaration(name) ? name.getNameNode() : name;
      return id ? { edits: [{ start: id.getEnd(), end: id.getEnd(), parts: ['Renamed'] }], at: id } : 'the anchor has no name to rename';
    }
    case 'scale': {
      const n = node(op.target);
      if (typeof n === 'string') return n;
      if (Node.isBindingElement(n)) return scaleBinding(n, op.factor);
      if (!Node.isExpression(n)) return `${op.target} is not an expression (${n.getKindName()})`;
      return { edits: [{ start: n.getStart(), end: n.getEnd(), parts: ['(', copy(n), ` * ${op.factor})`] }], at: n };
    }
    case 'scale-arg':
    case 'drop-last-arg': {
      const n = node(op.target);
      if (typeof n === 'string') return n;
      const call = callOf(n);
      if (!call || !Node.isCallExpression(call)) return `${op.target} is not a call`;
      const args = call.getArguments();
      if (op.op === 'drop-last-arg') {
        const last = args.at(-1);
        if (!last || args.length < 2) return `${op.target} has no optional last argument to drop`;
        return { edits: [{ start: args.at(-2)!.getEnd(), end: last.getEnd(), parts: [] }], at: last };
      }
      const arg = args[op.arg ?? 0];
      if (!arg) return `${op.target} has no argument ${op.arg ?? 0}`;
      return { edits: [{ start: arg.getStart(), end: arg.getEnd(), parts: ['(', copy(arg), ` * ${op.factor})`] }], at: arg };
    }
    case 'bypass': {
      const [carrier, from] = [node(`${op.target}.carrier`), node(op.from)];
      if (typeof carrier === 'string') return carrier;
      if (typeof from === 'string') return from;
      const callee = Node.isCallExpression(from) ? from.getExpression() : undefined;
      if (!callee || !Node.isPropertyAccessExpression(callee)) return `${op.from} is not a method call, so it has no receiver to pass on instead`;
      return { edits: [{ start: carrier.getStart(), end: carrier.getEnd(), parts: [copy(callee.getExpression())] }], at: carrier };
    }
    case 'flag-false-at-start': {
      const loop = node('loop');
      if (typeof loop === 'string') return loop;
      const cond = Node.isWhileStatement(loop) || Node.isDoStatement(loop) ? loop.getExpression() : Node.isForStatement(loop) ? loop.getCondition() : undefined;
      if (!cond) return 'the located loop has no condition to extend';
      return {
        edits: [
          { start: loop.getStart(), end: loop.getStart(), parts: ['let running = false;\n'] },
          { start: cond.getStart(), end: cond.getEnd(), parts: ['(', copy(cond), ') && running'] },
        ],
        at: cond,
      };
    }
    case 'move-after-loop':
    case 'move-into-loop': {
      const [s, loop] = [stmtOf(op.target), node('loop')];
      if (typeof s === 'string') return s;
      if (typeof loop === 'string') return loop;
      if (!isLoopNode(loop)) return 'the located loop is not a loop';
      const first = loopStatements(loop)[0];
      const at = op.op === 'move-after-loop' ? loop.getEnd() : (first?.getStart() ?? loop.getStatement().getStart() + 1);
      return {
        edits: [
          { start: s.getStart(), end: s.getEnd(), parts: [] },
          { start: at, end: at, parts: op.op === 'move-after-loop' ? ['\n', copy(s)] : [copy(s), '\n'] },
        ],
        at: s,
      };
    }
    case 'set-key':
    case 'drop-key': {
      const p = node(`key:${op.key}`);
      if (typeof p === 'string') return p;
      if (op.op === 'drop-key') {
        const text = p.getSourceFile().getFullText();
        const end = text[p.getEnd()] === ',' ? p.getEnd() + 1 : p.getEnd();
        return { edits: [{ start: p.getStart(), end, parts: [] }], at: p };
      }
      const value = Node.isPropertyAssignment(p) ? p.getInitializer() : undefined;
      const parts: Part[] = op.to === 'zero' ? ['0'] : ['!(', value ? copy(value) : op.key, ')'];
      if (value) return { edits: [{ start: value.getStart(), end: value.getEnd(), parts }], at: value };
      return { edits: [{ start: p.getEnd(), end: p.getEnd(), parts: [': ', ...parts] }], at: p };
    }
    case 'negate-guard': {
      const g = node('guard');
      if (typeof g === 'string') return g;
      return { edits: [{ start: g.getStart(), end: g.getEnd(), parts: ['!(', copy(g), ')'] }], at: g };
    }
    case 'insert-before': {
      const s = stmtOf(op.target);
      return typeof s === 'string' ? s : { edits: [{ start: s.getStart(), end: s.getStart(), parts: [op.text, '\n'] }], at: s };
    }
    case 'defer-into-closure': {
      const n = node(op.target);
      if (typeof n === 'string') return n;
      const s = statement(n);
      if (!s) return `no statement holds ${op.target}`;
      return {
        edits: [
          { start: n.getStart(), end: n.getEnd(), parts: ['(undefined as never)'] },
          { start: s.getEnd(), end: s.getEnd(), parts: ['\nvoid (() => ', copy(n), ');'] },
        ],
        at: n,
      };
    }
  }
}

function dropDependency(pkgText: string, pkg: string, to: 'devDependencies' | 'nowhere'): string | undefined {
  const parsed = parsePackageManifest(pkgText);
  if (!parsed.ok) return undefined;
  const { dependencies = {}, devDependencies } = parsed.manifest;
  const { [pkg]: version, ...kept } = dependencies;
  if (version === undefined) return undefined;
  const json = { ...parsed.manifest, dependencies: kept, ...(to === 'devDependencies' ? { devDependencies: { ...devDependencies, [pkg]: version } } : {}) };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/**
 * The mutated text of one file from the nodes `located` holds (the spec's findings on the unmutated tree);
 * the tree on disk is never touched. A mutant that cannot be made says why: a spec defect.
 */
export function applyOperation(op: Operation, located: LocatedNodes, sources: Pick<SourceSet, 'text' | 'relativeOf'>): Applied {
  const read = (rel: string) => sources.text(rel);
  if (op.op === 'drop-dependency') {
    const text = read('package.json');
    if (text === undefined) return { ok: false, reason: 'package.json missing' };
    const next = dropDependency(text, op.pkg, op.to);
    return next ? { ok: true, file: 'package.json', text: next } : { ok: false, reason: `${op.pkg} is not in dependencies` };
  }
  const get = (key: string): Node | string => located.get(key) ?? `the spec's checks did not locate "${key}" (located: ${[...located.keys()].join(', ') || 'nothing'})`;
  const planned = editsFor(op, get);
  if (typeof planned === 'string') return { ok: false, reason: planned };
  const original = planned.at.getSourceFile().getFullText();
  const applied = applyEdits(original, planned.edits);
  if (typeof applied === 'string') return { ok: false, reason: applied };
  // The file the located node is in, wherever the walk from the entry found it.
  const file = sources.relativeOf(planned.at.getSourceFile());
  if (file === undefined) return { ok: false, reason: `${planned.at.getSourceFile().getBaseName()} is not a file of the project` };
  return { ok: true, file, text: applied.text, origins: applied.origins, at: planned.at };
}
