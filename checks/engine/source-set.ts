import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Project, ts, type SourceFile } from 'ts-morph';
import { createResolver, type OriginMap, type Resolver } from './symbols.ts';

/**
 * The files the specs read, from disk or from an in-memory overlay (mutants), in ONE ts-morph Project
 * whose type checker resolves each step to its declaration. The program follows relative imports and
 * zod only (the config types are zod-inferred); ccxt, pino and @types/node are left out, which keeps a
 * cold run near 1.5 s instead of 4 s. One Project per root is shared by the static stage and the mutants.
 */
export interface SourceSet {
  readonly root: string;
  /** The entry the walk starts from, when not package.json's scripts.start (the engine's fixtures). */
  readonly entry?: string;
  readonly resolver: Resolver;
  /** Text of a root-relative file, overlay first; undefined when it does not exist. */
  text(rel: string): string | undefined;
  /** Parsed source of a root-relative .ts file; undefined when it does not exist. */
  sourceFile(rel: string): SourceFile | undefined;
  /** The root-relative path of a file of this set (an overlay answers with the path it stands for). */
  relativeOf(sf: SourceFile): string | undefined;
  /** The unmutated parse of a root-relative file (what mutants are computed on). */
  originalSourceFile(rel: string): SourceFile | undefined;
  /**
   * Replaces the overlay (rel path → text, plus how its positions map back to the original when the text
   * was derived from it by known edits); files not named read from disk again.
   */
  setOverlay(overlay: ReadonlyMap<string, string>, origins?: ReadonlyMap<string, OriginMap>): void;
}

/** Bare module specifiers the program loads types for; everything else resolves to nothing (any). */
const TYPED_PACKAGES = new Set(['zod']);

function createProject(): Project {
  // Every program the project builds (one more per rewrite the checker must see) resolves the same imports.
  const resolved = new Map<string, ts.ResolvedModuleFull | undefined>();
  const resolve = (name: string, containing: string, options: ts.CompilerOptions, host: ts.ModuleResolutionHost) => {
    const key = `${containing}\0${name}`;
    if (!resolved.has(key)) resolved.set(key, ts.resolveModuleName(name, containing, options, host).resolvedModule);
    return resolved.get(key);
  };
  return new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: {
      lib: ['lib.es2023.d.ts'],
      types: [],
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowImportingTsExtensions: true,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
    resolutionHost: (host, getOptions) => ({
      resolveModuleNames: (names, containing) =>
        names.map((n) => (n.startsWith('.') || TYPED_PACKAGES.has(n) ? resolve(n, containing, getOptions(), host) : undefined)),
    }),
  });
}

const shared = new Map<string, SourceSet>();

/** The SourceSet of `root`, created once per process (its disk reads and type-checker answers are reused). */
export function sourceSetFor(root: string, entry?: string): SourceSet {
  const key = `${root}\0${entry ?? ''}`;
  let s = shared.get(key);
  if (!s) {
    s = createSourceSet(root, entry);
    shared.set(key, s);
  }
  s.setOverlay(new Map());
  return s;
}

export function createSourceSet(root: string, entry?: string): SourceSet {
  const project = createProject();
  const disk = new Map<string, string | undefined>();
  const overlaid = new Map<string, SourceFile>();
  let overlay: ReadonlyMap<string, string> = new Map();
  let origins: ReadonlyMap<string, OriginMap> = new Map();
  let generation = 0;

  const readDisk = (rel: string) => {
    if (!disk.has(rel)) {
      try {
        disk.set(rel, readFileSync(path.join(root, rel), 'utf8'));
      } catch {
        disk.set(rel, undefined);
      }
    }
    return disk.get(rel);
  };
  const text = (rel: string) => overlay.get(rel) ?? readDisk(rel);
  const original = (rel: string): SourceFile | undefined => {
    const t = readDisk(rel);
    if (t === undefined) return undefined;
    const abs = path.join(root, rel);
    return project.getSourceFile(abs) ?? project.createSourceFile(abs, t, { overwrite: true });
  };
  const overlayRel = new Map<SourceFile, string>();

  const resolver = createResolver(project, {
    // An overlaid file derived by known edits answers from the original's resolutions, so a mutant
    // costs no new type-checker pass; anything else (a reprint, inserted code) asks the checker.
    counterpartFile: (sf) => {
      const rel = overlayRel.get(sf);
      const map = rel === undefined ? undefined : origins.get(rel);
      const orig = rel === undefined ? undefined : original(rel);
      return map && orig ? { original: orig, map } : undefined;
    },
  });

  return {
    root,
    ...(entry === undefined ? {} : { entry }),
    resolver,
    text,
    originalSourceFile: original,
    relativeOf(sf) {
      const over = overlayRel.get(sf);
      if (over !== undefined) return over;
      const rel = path.relative(root, sf.getFilePath());
      return rel.startsWith('..') || path.isAbsolute(rel) || sf.isInNodeModules() ? undefined : rel;
    },
    sourceFile(rel) {
      const over = overlay.get(rel);
      if (over === undefined) return original(rel);
      // Overlaid text is parsed beside the original (same directory, so relative imports still resolve)
      // and the original stays parsed: a mutant run re-parses only the mutated file.
      let sf = overlaid.get(rel);
      if (!sf) {
        const abs = path.join(root, path.dirname(rel), `.overlay-${generation}-${path.basename(rel)}`);
        sf = project.createSourceFile(abs, over, { overwrite: true });
        overlaid.set(rel, sf);
        overlayRel.set(sf, rel);
      }
      return sf;
    },
    setOverlay(next, nextOrigins = new Map()) {
      // Each generation gets a fresh path; old overlay files are removed so the program stays small.
      for (const sf of overlaid.values()) {
        overlayRel.delete(sf);
        if (!sf.wasForgotten()) project.removeSourceFile(sf);
      }
      overlaid.clear();
      generation++;
      overlay = next;
      origins = nextOrigins;
    },
  };
}
