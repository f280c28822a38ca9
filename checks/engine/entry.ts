import path from 'node:path';
import type { SourceFile } from 'ts-morph';
import { z } from 'zod';
import type { SourceSet } from './source-set.ts';

/**
 * The service entry is what `npm start` runs (package.json scripts.start), not a path written in a spec.
 * Every file a spec may be about is reached from it through relative imports, so a file an editor moved
 * (its imports updated) is found at its new place.
 */

const packageSchema = z.object({ scripts: z.object({ start: z.string() }) });

export type EntryFile = { ok: true; rel: string } | { ok: false; reason: string };

/** The .ts file `scripts.start` runs (its last argument ending in .ts). */
export function serviceEntry(sources: SourceSet): EntryFile {
  if (sources.entry !== undefined) return { ok: true, rel: sources.entry };
  const text = sources.text('package.json');
  if (text === undefined) return { ok: false, reason: 'no package.json' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'package.json is not JSON' };
  }
  const pkg = packageSchema.safeParse(raw);
  if (!pkg.success) return { ok: false, reason: 'package.json has no scripts.start' };
  const rel = pkg.data.scripts.start.split(/\s+/).findLast((w) => w.endsWith('.ts'));
  return rel ? { ok: true, rel: rel.replace(/^\.\//, '') } : { ok: false, reason: `scripts.start runs no .ts file: ${pkg.data.scripts.start}` };
}

const cache = new WeakMap<SourceSet, { key: string; files: string[] }>();

/** Root-relative paths of the entry and every file it reaches through relative imports and re-exports, entry first. */
export function reachableFiles(sources: SourceSet): string[] {
  const entry = serviceEntry(sources);
  if (!entry.ok) return [];
  const hit = cache.get(sources);
  if (hit?.key === entry.rel) return hit.files;
  const seen = new Set<string>();
  // Parsing only: relative specifiers name files (the project imports with .ts extensions), so the walk
  // needs no type checker; the checker is built once, later, by the first question a spec asks.
  const walk = (spec: string) => {
    // tsx also resolves a specifier without its extension, or a folder's index.
    const rel = [spec, `${spec}.ts`, `${spec}/index.ts`].find((r) => r.endsWith('.ts') && sources.text(r) !== undefined);
    if (rel === undefined || seen.has(rel)) return;
    const sf = sources.originalSourceFile(rel);
    if (!sf) return;
    seen.add(rel);
    for (const d of [...sf.getImportDeclarations(), ...sf.getExportDeclarations()]) {
      const spec = d.getModuleSpecifierValue();
      if (spec?.startsWith('.')) walk(path.posix.normalize(path.posix.join(path.posix.dirname(rel), spec)));
    }
  };
  walk(entry.rel);
  const files = [...seen];
  cache.set(sources, { key: entry.rel, files });
  return files;
}

/** The parsed files reached from the entry, each overlaid (mutated) where the overlay names it. */
export function reachableSources(sources: SourceSet): SourceFile[] {
  return reachableFiles(sources).flatMap((rel) => sources.sourceFile(rel) ?? []);
}
