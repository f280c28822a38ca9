import { importClosure } from '../../runtime-files.ts';
import type { Verdict } from '../location.ts';
import type { SourceSet } from '../source-set.ts';
import type { AssertionOf } from '../spec-schema.ts';
import { parsePackageManifest } from '../../package-manifest.ts';

export interface DependencyVerdict extends Verdict {
  file: string;
  line: number;
  col: number;
}

function lineOf(text: string, needle: string): { line: number; col: number } {
  const i = text.indexOf(needle);
  if (i < 0) return { line: 1, col: 1 };
  const before = text.slice(0, i).split('\n');
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

/**
 * Every package the runtime file set imports (and every package the service command needs) is in
 * `dependencies`: `npm ci --omit=dev` on a host must be enough to run it.
 */
export function dependencyHygiene(a: AssertionOf<'dependency-hygiene'>, sources: SourceSet): DependencyVerdict[] {
  const pkgText = sources.text('package.json');
  if (pkgText === undefined) return [{ ok: false, message: 'package.json missing', file: 'package.json', line: 1, col: 1 }];
  const parsed = parsePackageManifest(pkgText);
  if (!parsed.ok) return [{ ok: false, message: parsed.reason, file: 'package.json', line: 1, col: 1 }];
  const pkg = parsed.manifest;
  const deps = pkg.dependencies ?? {};
  const dev = pkg.devDependencies ?? {};
  const where = (name: string) => (name in dev ? 'only in devDependencies' : 'not in package.json');

  const closure = importClosure(a.entry, (rel) => sources.text(rel));
  const out: DependencyVerdict[] = [];
  for (const u of closure.unresolved)
    out.push({ ok: false, message: `cannot resolve ${u.specifier} from ${u.file}`, file: u.file, line: u.line, col: u.col });
  const seen = new Set<string>();
  for (const ext of closure.externals) {
    if (ext.typeOnly || ext.packageName in deps || seen.has(`${ext.file}:${ext.packageName}`)) continue;
    seen.add(`${ext.file}:${ext.packageName}`);
    out.push({ ok: false, message: `${ext.file} imports ${ext.packageName}, ${where(ext.packageName)}`, file: ext.file, line: ext.line, col: ext.col });
  }
  for (const name of a.require.filter((r) => !(r in deps))) {
    out.push({ ok: false, message: `${name} is needed at run time but ${where(name)}`, file: 'package.json', ...lineOf(pkgText, `"${name}"`) });
  }
  if (out.length > 0) return out;
  const used = [...new Set(closure.externals.filter((e) => !e.typeOnly).map((e) => e.packageName))].sort();
  return [
    {
      ok: true,
      message: `${closure.files.length} runtime files import ${used.join(', ') || 'no packages'}; all in dependencies${a.require.length ? ` (+ ${a.require.join(', ')})` : ''}`,
      file: 'package.json',
      ...lineOf(pkgText, '"dependencies"'),
    },
  ];
}
