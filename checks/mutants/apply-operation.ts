import { Node, Project, ts, type SourceFile } from 'ts-morph';
import { resolveAnchor, type AnchorBody } from '../engine/anchor.ts';
import { seqIndex, wholeBlock, type Sequence } from '../engine/control-flow.ts';
import { loopHolding, loopStatements } from '../engine/loops.ts';
import { notCachedWhenTrue, resolveRegion } from '../engine/region.ts';
import type { Spec } from '../engine/spec-schema.ts';
import { describeStep, enclosingFunction, enclosingStatement, findStepNodes } from '../engine/steps.ts';
import type { Operation, StepTarget } from './mutant-types.ts';

/** Reads a root-relative file from the unmutated tree. */
export type ReadSource = (rel: string) => string | undefined;
export type Applied = { ok: true; file: string; text: string } | { ok: false; reason: string };

const scratch = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });

interface Located {
  sf: SourceFile;
  fn: Node;
  body: AnchorBody;
  seq: Sequence;
  anchorName: Node | undefined;
}

const parsed = new Map<string, { text: string; sf: SourceFile }>();

/** Parses each original once: every mutant of a file computes its edits on the same unmutated tree. */
function parse(file: string, text: string): SourceFile {
  const hit = parsed.get(file);
  if (hit && hit.text === text) return hit.sf;
  const sf = scratch.createSourceFile(`/m/${file}`, text, { overwrite: true });
  parsed.set(file, { text, sf });
  return sf;
}

function locate(spec: Spec, text: string): Located | string {
  const sf = parse(spec.file, text);
  if (!spec.anchor) return 'spec has no anchor';
  const a = resolveAnchor(sf, spec.anchor);
  if (!a.ok) return a.reason;
  let seq = wholeBlock(a.body.getStatements());
  if (spec.region) {
    if (!Node.isBlock(a.body)) return `a ${spec.region.kind} region needs a function or method anchor`;
    const r = resolveRegion(a.body, spec.region);
    if (!r.ok) return r.reason;
    seq = r.seq;
  }
  const nameNode = Node.isMethodDeclaration(a.fn) || Node.isFunctionDeclaration(a.fn) ? a.fn.getNameNode() : undefined;
  return { sf, fn: a.fn, body: a.body, seq, anchorName: nameNode };
}

function nodeOf(loc: Located, t: StepTarget): Node | string {
  // Mutate the anchor's own statements, not a helper's body that a viaLocalHelper step also matches.
  const all = findStepNodes(loc.body, t.step).filter((n) => seqIndex(loc.seq, n) >= 0 && (enclosingFunction(n) ?? n.getSourceFile()) === loc.fn);
  const n = all[t.nth ?? 0];
  return n ?? `mutant target ${describeStep(t.step)} #${t.nth ?? 0} not found`;
}

function statementOf(loc: Located, t: StepTarget): Node | string {
  const n = nodeOf(loc, t);
  if (typeof n === 'string') return n;
  return enclosingStatement(n) ?? `no statement holds ${describeStep(t.step)}`;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const applyEdits = (text: string, edits: Edit[]) =>
  [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.text + t.slice(e.end), text);

const span = (n: Node): Edit => ({ start: n.getStart(), end: n.getEnd(), text: n.getText() });

function sourceEdits(op: Exclude<Operation, { op: 'replace-text' | 'drop-dependency' }>, loc: Located): Edit[] | string {
  switch (op.op) {
    case 'delete-statement': {
      const s = statementOf(loc, op.target);
      return typeof s === 'string' ? s : [{ ...span(s), text: '' }];
    }
    case 'swap-order': {
      const [a, b] = [statementOf(loc, op.target), statementOf(loc, op.other)];
      if (typeof a === 'string') return a;
      if (typeof b === 'string') return b;
      if (a === b) return 'swap-order: both steps are in one statement';
      return [
        { ...span(a), text: b.getText() },
        { ...span(b), text: a.getText() },
      ];
    }
    case 'wrap-if-false': {
      const s = statementOf(loc, op.target);
      return typeof s === 'string' ? s : [{ ...span(s), text: `if (false) { ${s.getText()} }` }];
    }
    case 'insert-early-return':
    case 'insert-statement': {
      const s = statementOf(loc, op.after);
      const text = op.op === 'insert-statement' ? op.text : 'return undefined as never;';
      return typeof s === 'string' ? s : [{ start: s.getEnd(), end: s.getEnd(), text: `\n${text}` }];
    }
    case 'empty-branch': {
      const s = statementOf(loc, op.target);
      if (typeof s === 'string') return s;
      const block = s.getParent();
      return block && Node.isBlock(block) ? [{ ...span(block), text: '{}' }] : 'empty-branch: target is not in a block';
    }
    case 'rename-anchor':
      return loc.anchorName ? [{ ...span(loc.anchorName), text: `${loc.anchorName.getText()}Renamed` }] : 'anchor has no name node';
    case 'move-after-loop':
    case 'move-into-loop': {
      const s = statementOf(loc, op.target);
      const loop = loopHolding(loc.body, op.loop);
      if (typeof s === 'string') return s;
      if (!loop) return `no loop holding ${describeStep(op.loop)}`;
      const first = loopStatements(loop)[0];
      const at = op.op === 'move-after-loop' ? loop.getEnd() : (first?.getStart() ?? loop.getStatement().getStart() + 1);
      return [
        { ...span(s), text: '' },
        { start: at, end: at, text: op.op === 'move-after-loop' ? `\n${s.getText()}` : `${s.getText()}\n` },
      ];
    }
    case 'invert-if': {
      const ifs = loc.body.getDescendants().filter((d) => Node.isIfStatement(d) && notCachedWhenTrue(d.getExpression(), op.map) !== undefined);
      const s = ifs[0];
      if (!s || !Node.isIfStatement(s)) return `invert-if: no cache test on ${op.map}`;
      const cond = s.getExpression().getText();
      const then = s.getThenStatement().getText();
      const els = s.getElseStatement();
      if (els) return [{ ...span(s), text: `if (!(${cond})) ${els.getText()} else ${then}` }];
      const block = s.getParent();
      if (!block || !Node.isBlock(block)) return 'invert-if: if is not in a block';
      const rest = block.getStatements().slice(block.getStatements().indexOf(s) + 1);
      const last = rest.at(-1);
      const thenStmt = s.getThenStatement();
      const tail = Node.isBlock(thenStmt) ? thenStmt.getStatements().at(-1) : thenStmt;
      const exits = tail !== undefined && (Node.isReturnStatement(tail) || Node.isThrowStatement(tail));
      if (!last || !exits) return [{ ...span(s), text: `if (!(${cond})) {} else ${then}` }];
      return [{ start: s.getStart(), end: last.getEnd(), text: `if (!(${cond})) {\n${rest.map((r) => r.getText()).join('\n')}\n} else ${then}` }];
    }
    case 'reformat': {
      const printer = ts.createPrinter({ newLine: ts.NewLineKind.LineFeed, removeComments: false });
      return [{ start: 0, end: loc.sf.getEnd(), text: printer.printFile(loc.sf.compilerNode) }];
    }
  }
}

function dropDependency(pkgText: string, pkg: string, to: 'devDependencies' | 'nowhere'): string | undefined {
  const json = JSON.parse(pkgText) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const version = json.dependencies?.[pkg];
  if (version === undefined) return undefined;
  delete json.dependencies![pkg];
  if (to === 'devDependencies') json.devDependencies = { ...json.devDependencies, [pkg]: version };
  return `${JSON.stringify(json, null, 2)}\n`;
}

/** The mutated text of one file, computed on a scratch copy (the tree on disk is never touched). */
export function applyOperation(op: Operation, spec: Spec, read: ReadSource, fileOverride?: string): Applied {
  const file = op.op === 'drop-dependency' ? 'package.json' : (fileOverride ?? spec.file);
  const text = read(file);
  if (text === undefined) return { ok: false, reason: `${file} missing` };
  if (op.op === 'drop-dependency') {
    const next = dropDependency(text, op.pkg, op.to);
    return next ? { ok: true, file, text: next } : { ok: false, reason: `${op.pkg} is not in dependencies` };
  }
  if (op.op === 'replace-text') {
    // Within the spec's anchor when the file is the spec's own, so the same text elsewhere is left alone.
    const anchored = file === spec.file && spec.anchor ? locate(spec, text) : undefined;
    if (typeof anchored === 'string') return { ok: false, reason: anchored };
    const [from, to] = anchored ? [anchored.fn.getStart(), anchored.fn.getEnd()] : [0, text.length];
    const scope = text.slice(from, to);
    const count = scope.split(op.find).length - 1;
    const where = anchored ? `${file} (${spec.anchor?.method ?? spec.anchor?.function})` : file;
    if (count !== 1) return { ok: false, reason: `replace-text: "${op.find}" occurs ${count} times in ${where}, expected once` };
    return { ok: true, file, text: text.slice(0, from) + scope.replace(op.find, () => op.replace) + text.slice(to) };
  }
  const loc = locate(spec, text);
  if (typeof loc === 'string') return { ok: false, reason: loc };
  const edits = sourceEdits(op, loc);
  if (typeof edits === 'string') return { ok: false, reason: edits };
  return { ok: true, file, text: applyEdits(text, edits) };
}
