import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { scanImports, type ImportRef } from './engine/import-scan.ts';

/**
 * The runtime file set (docs/leak-history-and-log-contract.md): the import closure of app/main.ts plus package.json and
 * package-lock.json. Spec 7 uses it; the QA source hash uses the bundle's inputs (bundle-file-set.ts).
 */

export const RUNTIME_ENTRY = 'app/main.ts';
const MANIFESTS = ['package.json', 'package-lock.json'];
/**
 * Files only sim mode loads: the service imports them with `import()` in the sim branch, so a bybit run
 * never loads them (issue 10 item 5). A static import of one of them still pulls it into every set.
 */
export const SIM_ONLY = /^app\/(sim\/|service\/sim-)/;

/** Which run the set is for: `any` (the default, what ships: sim or bybit, chosen by config) or `bybit`. */
export type RuntimeMode = 'any' | 'bybit';

export interface ClosureOptions {
  /** `bybit` leaves out dynamic imports of SIM_ONLY files. Default `any`. */
  mode?: RuntimeMode;
}

export interface ExternalImport extends ImportRef {
  file: string;
  packageName: string;
}

export interface ImportClosure {
  files: string[];
  externals: ExternalImport[];
  unresolved: Array<ImportRef & { file: string }>;
}

/** Reads a root-relative file; undefined when it does not exist. */
export type ReadText = (rel: string) => string | undefined;

export const diskReader =
  (root: string): ReadText =>
  (rel) => {
    const abs = path.join(root, rel);
    return existsSync(abs) && statSync(abs).isFile() ? readFileSync(abs, 'utf8') : undefined;
  };

const builtins = new Set(builtinModules);
export const isBuiltin = (spec: string) => spec.startsWith('node:') || builtins.has(spec.split('/')[0] ?? spec);
export const packageNameOf = (spec: string) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

function resolveRelative(fromRel: string, spec: string, read: ReadText): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromRel), spec));
  if (base.startsWith('..')) return undefined;
  const candidates = [base, base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
  return candidates.find((c) => /\.(ts|json|js|mjs|cjs)$/.test(c) && read(c) !== undefined);
}

/** Follows relative imports (type-only and dynamic ones too: they ship with the sources) from `entry`. */
export function importClosure(entry: string, read: ReadText, options: ClosureOptions = {}): ImportClosure {
  const skipLazySim = options.mode === 'bybit';
  const seen = new Set<string>();
  const externals: ExternalImport[] = [];
  const unresolved: ImportClosure['unresolved'] = [];
  const queue = [entry];
  while (queue.length > 0) {
    const rel = queue.pop()!;
    if (seen.has(rel)) continue;
    const text = read(rel);
    if (text === undefined) {
      unresolved.push({ file: rel, specifier: rel, typeOnly: false, dynamic: false, line: 1, col: 1 });
      continue;
    }
    seen.add(rel);
    if (!/\.(ts|js|mjs|cjs)$/.test(rel)) continue;
    for (const ref of scanImports(text)) {
      if (ref.specifier.startsWith('.')) {
        const target = resolveRelative(rel, ref.specifier, read);
        if (!target) unresolved.push({ ...ref, file: rel });
        else if (!(skipLazySim && ref.dynamic && SIM_ONLY.test(target))) queue.push(target);
      } else if (!isBuiltin(ref.specifier)) {
        externals.push({ ...ref, file: rel, packageName: packageNameOf(ref.specifier) });
      }
    }
  }
  return { files: [...seen].sort(), externals, unresolved };
}

/** Sorted root-relative paths. Throws when the entry or a relative import is missing: that set cannot ship. */
export function runtimeFileSet(root: string, read: ReadText = diskReader(root), options: ClosureOptions = {}): string[] {
  const closure = importClosure(RUNTIME_ENTRY, read, options);
  const bad = closure.unresolved[0];
  if (bad) throw new Error(`runtime file set: ${bad.file}:${bad.line}: cannot resolve ${bad.specifier}`);
  const manifests = MANIFESTS.filter((m) => read(m) !== undefined);
  return [...closure.files, ...manifests].sort();
}
