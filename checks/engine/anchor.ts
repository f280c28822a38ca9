import { Node, type Block, type SourceFile } from 'ts-morph';
import { descendantsOf } from './descendants.ts';
import { reachableSources, serviceEntry } from './entry.ts';
import type { SourceSet } from './source-set.ts';
import type { Anchor } from './spec-schema.ts';
import { resolverOf } from './symbols.ts';

/**
 * Where a spec holds is found, not written down: walking the files reached from the service entry, the
 * type checker says which functions write into a collection, call a declaration or return a type. No
 * file path and no method name: a method renamed or a file moved by an editor is found at its new place.
 */

/** A function's block, or the source file itself for the entry's top level. */
export type AnchorBody = Block | SourceFile;

export interface AnchorSite {
  fn: Node;
  body: AnchorBody;
  name: string;
}

/** ok false: nothing reached from the entry has the anchor's property, so the spec is not located (no verdict of its own). */
export type Anchored = { ok: true; sites: AnchorSite[] } | { ok: false; reason: string };

export function describeAnchor(a: Anchor): string {
  if (a.entry) return 'the service entry';
  if (a.writes) return `writes into ${a.writes}`;
  if (a.calls) return `calls of ${a.calls}`;
  if (a.creates) return `constructions of ${a.creates}`;
  if (a.returns) return `functions returning ${a.returns}`;
  return `declaration ${a.declaration ?? '?'}`;
}

/** The last name of a ref ('MarketDataManager#limits.trades' → 'trades', '.slice' → 'slice'). */
const memberOf = (ref: string) => ref.split(/[#.]/).at(-1) ?? ref;

/** The method, function or module-level function value a node belongs to (closures belong to their owner). */
export function ownerOf(n: Node): Node | undefined {
  let found: Node | undefined;
  for (let p = n.getParent(); p; p = p.getParent()) {
    if (Node.isMethodDeclaration(p) || Node.isFunctionDeclaration(p) || Node.isConstructorDeclaration(p)) found = p;
    else if ((Node.isArrowFunction(p) || Node.isFunctionExpression(p)) && isNamedValue(p)) found = p;
  }
  return found;
}

const isNamedValue = (fn: Node) => {
  const p = fn.getParent();
  return p !== undefined && (Node.isVariableDeclaration(p) || Node.isPropertyDeclaration(p));
};

export function nameOfFunction(fn: Node): string {
  if (Node.isSourceFile(fn)) return `${fn.getBaseName()} (top level)`;
  const owner = Node.isArrowFunction(fn) || Node.isFunctionExpression(fn) ? fn.getParent() : fn;
  const named = owner as Node & { getName?: () => string | undefined };
  const name = named.getName?.() ?? (Node.isConstructorDeclaration(fn) ? 'constructor' : '(anonymous)');
  const cls = fn.getFirstAncestor((a) => Node.isClassDeclaration(a));
  const clsName = cls && Node.isClassDeclaration(cls) ? cls.getName() : undefined;
  return clsName ? `${clsName}.${name}` : name;
}

const blockOf = (fn: Node): Block | undefined => {
  const b = (fn as Node & { getBody?: () => Node | undefined }).getBody?.();
  return b && Node.isBlock(b) ? b : undefined;
};

/** Parameters of what a call resolves to, when that is a function with a body in the reached code. */
function calleeWithBody(call: Node): Node | undefined {
  if (!Node.isCallExpression(call)) return undefined;
  return resolverOf(call)
    .declarations(call.getExpression())
    .map((d) => (Node.isVariableDeclaration(d) ? d.getInitializer() : d))
    .find((d): d is Node => d !== undefined && blockOf(d) !== undefined);
}

const WRITE_DEPTH = 3;

/** `ref.set(…)`, or `ref` handed to a function that writes into the parameter it lands in. */
export function isWrite(ref: Node, depth = WRITE_DEPTH): boolean {
  const p = ref.getParent();
  if (p && Node.isPropertyAccessExpression(p) && p.getExpression() === ref && p.getName() === 'set') {
    const call = p.getParent();
    return call !== undefined && Node.isCallExpression(call) && call.getExpression() === p;
  }
  if (depth === 0 || !p || !Node.isCallExpression(p)) return false;
  const i = p.getArguments().indexOf(ref);
  const callee = i >= 0 ? calleeWithBody(p) : undefined;
  const param = callee && (callee as Node & { getParameters?: () => Node[] }).getParameters?.()[i];
  if (!param || !Node.isParameterDeclaration(param) || !Node.isIdentifier(param.getNameNode())) return false;
  const name = param.getName();
  const body = blockOf(callee);
  return (body ? descendantsOf(body) : []).some(
    (d) => Node.isIdentifier(d) && d.getText() === name && resolverOf(d).localDeclaration(d) === resolverOf(d).canonical(param) && isWrite(d, depth - 1),
  );
}

/** Per parsed file and query: a mutant re-parses one file, every other file answers from here. */
const scans = new WeakMap<SourceFile, Map<string, Node[]>>();
function scan(sf: SourceFile, key: string, find: () => Node[]): Node[] {
  let m = scans.get(sf);
  if (!m) scans.set(sf, (m = new Map()));
  let hit = m.get(key);
  if (!hit) m.set(key, (hit = find()));
  return hit;
}

/** Nodes named like the ref's last part, in every reached file, that the type checker resolves to it. */
function referencesTo(sources: SourceSet, ref: string, kind: 'access' | 'call' | 'new'): Node[] {
  const name = memberOf(ref);
  return reachableSources(sources).flatMap((sf) => scan(sf, `${kind}:${ref}`, () =>
    descendantsOf(sf).filter((d) => {
      if (kind === 'new') return Node.isNewExpression(d) && d.getExpression().getText().endsWith(name) && resolverOf(d).matches(d.getExpression(), ref);
      if (kind === 'call') {
        if (!Node.isCallExpression(d)) return false;
        const callee = d.getExpression();
        const spelled = Node.isPropertyAccessExpression(callee) ? callee.getName() : callee.getText();
        return spelled === name && resolverOf(d).matches(callee, ref);
      }
      return Node.isPropertyAccessExpression(d) && d.getName() === name && resolverOf(d).matches(d, ref);
    })),
  );
}

function sitesOf(fns: readonly Node[]): AnchorSite[] {
  return [...new Set(fns)].flatMap((fn) => {
    const body = blockOf(fn);
    return body ? [{ fn, body, name: nameOfFunction(fn) }] : [];
  });
}

export function resolveAnchor(sources: SourceSet, anchor: Anchor): Anchored {
  if (anchor.entry) {
    const entry = serviceEntry(sources);
    const sf = entry.ok ? sources.sourceFile(entry.rel) : undefined;
    if (!sf) return { ok: false, reason: entry.ok ? `the entry ${entry.rel} does not exist` : entry.reason };
    return { ok: true, sites: [{ fn: sf, body: sf, name: nameOfFunction(sf) }] };
  }
  let owners: Node[] = [];
  if (anchor.writes) owners = referencesTo(sources, anchor.writes, 'access').filter((r) => isWrite(r)).flatMap((r) => ownerOf(r) ?? []);
  else if (anchor.calls) owners = referencesTo(sources, anchor.calls, 'call').flatMap((c) => ownerOf(c) ?? []);
  else if (anchor.creates) owners = referencesTo(sources, anchor.creates, 'new').flatMap((c) => ownerOf(c) ?? []);
  else if (anchor.returns) owners = functionsReturning(sources, anchor.returns);
  else if (anchor.declaration) owners = declared(sources, anchor.declaration);
  const sites = sitesOf(owners);
  return sites.length > 0 ? { ok: true, sites } : { ok: false, reason: `nothing reached from the service entry ${describeAnchor(anchor)}` };
}

function functionsReturning(sources: SourceSet, type: string): Node[] {
  return reachableSources(sources).flatMap((sf) => scan(sf, `returns:${type}`, () =>
    descendantsOf(sf).filter((d) => {
      if (!Node.isMethodDeclaration(d) && !Node.isFunctionDeclaration(d)) return false;
      const t = d.getReturnTypeNode();
      return t !== undefined && Node.isTypeReference(t) && t.getTypeName().getText() === memberOf(type) && resolverOf(t).matches(t.getTypeName(), type);
    })),
  );
}

/** 'Class#method' or 'name' among the declarations of the reached files. */
function declared(sources: SourceSet, ref: string): Node[] {
  const [cls, member] = ref.includes('#') ? ref.split('#') : [undefined, ref];
  return reachableSources(sources).flatMap((sf) => {
    if (cls) return sf.getClass(cls)?.getMethod(member ?? '') ?? [];
    const init = sf.getVariableDeclaration(ref)?.getInitializer();
    return sf.getFunction(ref) ?? (init && (Node.isArrowFunction(init) || Node.isFunctionExpression(init)) ? init : []);
  });
}
