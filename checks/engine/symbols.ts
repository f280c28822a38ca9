import { Node, ts, VariableDeclarationKind, type Project, type SourceFile, type Symbol as MorphSymbol } from 'ts-morph';

/**
 * Steps name declarations, not text: `BoundedList#trimTo` (a member), `ServiceConfig#limits.trades` (a
 * property path through types), `periodicMemoryCleanup` (a declaration by name) or `.slice` (any member
 * of that name). The type checker says what a callee or a read resolves to, following import aliases,
 * consts bound to a reference and destructured bindings, so local names, `as` imports, `?.` and layout
 * do not matter.
 */

/** Position in a mutated text → position of the same character in the original text (undefined: inserted). */
export type OriginMap = (pos: number) => number | undefined;

export interface Resolver {
  /** What `node` (identifier, property access, call, `new`) refers to, aliases and local bindings followed. */
  declarations(node: Node): Node[];
  /** The declaration an identifier names directly (a local, a parameter, a binding element), as canonical node. */
  localDeclaration(id: Node): Node | undefined;
  /** The unmutated node a mutant's node was copied from, else the node itself: equal keys mean the same code. */
  canonical(node: Node): Node;
  /** Does `node` resolve to the declaration `ref` names? */
  matches(node: Node, ref: string): boolean;
  /** The expression's type excludes null and undefined, so a `?.` after it cannot short-circuit. */
  nonNullable(expr: Node): boolean;
}

export interface ResolverOptions {
  /** For a mutated file: the original it was derived from and the position map back to it. */
  counterpartFile(sf: SourceFile): { original: SourceFile; map: OriginMap } | undefined;
}

/** A ref that names a declaration (resolved with the type checker) rather than legacy callee text. */
export const isSymbolRef = (ref: string) => ref.includes('#') || ref.startsWith('.') || /^[A-Za-z_$][\w$]*$/.test(ref);

const unwrap = (n: Node): Node =>
  Node.isParenthesizedExpression(n) || Node.isNonNullExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n) ? unwrap(n.getExpression()) : n;

const nameOf = (d: Node): string | undefined => {
  const named = d as Node & { getName?: () => string | undefined };
  return typeof named.getName === 'function' ? named.getName() : undefined;
};

/** The class, interface or type alias a member is declared in. */
function containerName(d: Node): string | undefined {
  const p = d.getParent();
  if (!p) return undefined;
  if (Node.isClassDeclaration(p) || Node.isInterfaceDeclaration(p)) return p.getName();
  if (Node.isTypeLiteral(p)) {
    const alias = p.getParent();
    return alias && Node.isTypeAliasDeclaration(alias) ? alias.getName() : undefined;
  }
  return undefined;
}

/** The name a reference is spelled with at its site: a property name or an identifier. */
function siteName(n: Node): string | undefined {
  const u = unwrap(n);
  if (Node.isCallExpression(u) || Node.isNewExpression(u)) return siteName(u.getExpression());
  if (Node.isPropertyAccessExpression(u)) return u.getName();
  if (Node.isIdentifier(u)) return u.getText();
  return undefined;
}

const byProject = new WeakMap<Project, Resolver>();

/** The resolver of the Project a node belongs to (every SourceSet registers its own). */
export function resolverOf(n: Node): Resolver {
  const r = byProject.get(n.getProject());
  if (!r) throw new Error('node is not from a SourceSet project');
  return r;
}

export function createResolver(project: Project, o: ResolverOptions): Resolver {
  const r = makeResolver(project, o);
  byProject.set(project, r);
  return r;
}

function makeResolver(project: Project, o: ResolverOptions): Resolver {
  const counterparts = new WeakMap<Node, Node | null>();
  const resolved = new WeakMap<Node, Node[]>();
  const locals = new WeakMap<Node, Node | null>();
  const nonNull = new WeakMap<Node, boolean>();
  const paths = new Map<string, Set<unknown>>();

  function counterpart(n: Node): Node | undefined {
    const hit = counterparts.get(n);
    if (hit !== undefined) return hit ?? undefined;
    let found: Node | undefined;
    const cf = o.counterpartFile(n.getSourceFile());
    const p0 = cf?.map(n.getStart());
    if (cf && p0 !== undefined && cf.map(n.getEnd() - 1) === p0 + n.getWidth() - 1) {
      for (let c: Node | undefined = cf.original.getDescendantAtPos(p0); c && c.getStart() === p0; c = c.getParent()) {
        if (c.getKind() === n.getKind() && c.getWidth() === n.getWidth()) {
          found = c;
          break;
        }
      }
    }
    counterparts.set(n, found ?? null);
    return found;
  }
  const canonical = (n: Node) => counterpart(n) ?? n;

  const symbolOf = (n: Node): MorphSymbol | undefined => {
    const s = Node.isPropertyAccessExpression(n) ? n.getNameNode().getSymbol() : n.getSymbol();
    return s?.isAlias() ? (s.getAliasedSymbol() ?? s) : s;
  };

  /** A destructured binding stands for the property it was taken from. */
  function bindingProperty(d: Node): Node[] | undefined {
    if (!Node.isBindingElement(d)) return undefined;
    const pattern = d.getParent();
    if (!Node.isObjectBindingPattern(pattern)) return undefined;
    const name = d.getPropertyNameNode()?.getText() ?? d.getName();
    return pattern.getType().getProperty(name)?.getDeclarations() ?? [];
  }

  function declarations(node: Node): Node[] {
    const c = counterpart(node);
    if (c) return declarations(c);
    const hit = resolved.get(node);
    if (hit) return hit;
    // Code a mutant inserted (`if (false)`, `return …`, an exit) is its own scaffolding and never realises a
    // step: it resolves to nothing rather than costing a new program and type-checker pass.
    if (o.counterpartFile(node.getSourceFile())) return [];
    const u = unwrap(node);
    let out: Node[] = [];
    if (Node.isCallExpression(u) || Node.isNewExpression(u)) out = declarations(u.getExpression());
    else if (Node.isPropertyAccessExpression(u) || Node.isIdentifier(u)) {
      out = (symbolOf(u)?.getDeclarations() ?? []).flatMap((d) => {
        const prop = bindingProperty(d);
        if (prop) return [d, ...prop];
        // A const bound to another reference (`const trim = list.trimTo`, `const c = o.cleanup`).
        const list = d.getParent();
        const init = Node.isVariableDeclaration(d) && Node.isVariableDeclarationList(list) && list.getDeclarationKind() === VariableDeclarationKind.Const ? d.getInitializer() : undefined;
        const target = init ? unwrap(init) : undefined;
        return target && (Node.isIdentifier(target) || Node.isPropertyAccessExpression(target)) ? [d, ...declarations(target)] : [d];
      });
    }
    resolved.set(node, out);
    return out;
  }

  function localDeclaration(id: Node): Node | undefined {
    const c = counterpart(id);
    if (c) return localDeclaration(c);
    const hit = locals.get(id);
    if (hit !== undefined) return hit ?? undefined;
    if (o.counterpartFile(id.getSourceFile())) return undefined;
    const d = Node.isIdentifier(id) ? id.getSymbol()?.getDeclarations()[0] : undefined;
    locals.set(id, d ?? null);
    return d;
  }

  /** Declarations of `Type#a.b`: the type's property a, then b of a's type. */
  function pathTargets(type: string, path: string[]): Set<unknown> {
    const key = `${type}#${path.join('.')}`;
    const hit = paths.get(key);
    if (hit) return hit;
    const out = new Set<unknown>();
    // The declaring file is usually reached only through imports, so search the program, not the project.
    const program = project.getProgram().compilerObject;
    const checker = program.getTypeChecker();
    const decl = program
      .getSourceFiles()
      .filter((sf) => !program.isSourceFileFromExternalLibrary(sf) && !sf.isDeclarationFile)
      .flatMap((sf) => sf.statements.filter((st) => (ts.isTypeAliasDeclaration(st) || ts.isInterfaceDeclaration(st) || ts.isClassDeclaration(st)) && st.name?.text === type))
      .at(0);
    let t = decl ? checker.getTypeAtLocation(decl) : undefined;
    let props: readonly ts.Declaration[] = [];
    for (const seg of path) {
      const prop = t && checker.getPropertyOfType(t, seg);
      if (!prop || !decl) {
        props = [];
        break;
      }
      props = prop.declarations ?? [];
      t = checker.getTypeOfSymbolAtLocation(prop, decl);
    }
    for (const p of props) out.add(p);
    paths.set(key, out);
    return out;
  }

  function matches(node: Node, ref: string): boolean {
    const site = siteName(node);
    if (ref.startsWith('.')) return site === ref.slice(1) && Node.isPropertyAccessExpression(unwrap(Node.isCallExpression(node) || Node.isNewExpression(node) ? node.getExpression() : node));
    const hash = ref.indexOf('#');
    if (hash < 0) {
      // A declaration by name: spelled so, or reached through an alias or a local binding.
      if (Node.isPropertyAccessExpression(unwrap(node)) && site !== ref) return false;
      return declarations(node).some((d) => nameOf(d) === ref && !Node.isImportSpecifier(d) && !Node.isBindingElement(d));
    }
    const [type, rest] = [ref.slice(0, hash), ref.slice(hash + 1).split('.')];
    const member = rest.at(-1)!;
    if (Node.isPropertyAccessExpression(unwrap(Node.isCallExpression(node) || Node.isNewExpression(node) ? node.getExpression() : node)) && site !== member) return false;
    const decls = declarations(node);
    if (rest.length > 1) {
      const targets = pathTargets(type, rest);
      return decls.some((d) => targets.has(d.compilerNode));
    }
    return decls.some((d) => nameOf(d) === member && containerName(d) === type);
  }

  return {
    declarations,
    localDeclaration,
    canonical,
    matches,
    nonNullable(expr) {
      const n = canonical(expr);
      const hit = nonNull.get(n);
      if (hit !== undefined) return hit;
      if (o.counterpartFile(n.getSourceFile())) return false;
      const t = n.getType();
      const ok = !t.isAny() && !t.isUnknown() && !t.isNullable() && !t.isUndefined() && !t.isNull();
      nonNull.set(n, ok);
      return ok;
    },
  };
}
