import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Project, type SourceFile } from 'ts-morph';

/**
 * The files the specs read, from disk or from an in-memory overlay (mutants). One ts-morph Project with
 * no tsconfig and no dependency resolution: checks are syntactic, so parsing only the named files keeps a
 * cold run well under a second.
 */
export interface SourceSet {
  readonly root: string;
  /** Text of a root-relative file, overlay first; undefined when it does not exist. */
  text(rel: string): string | undefined;
  /** Parsed source of a root-relative .ts file; undefined when it does not exist. */
  sourceFile(rel: string): SourceFile | undefined;
  /** Replaces the overlay (rel path → text); files not named read from disk again. */
  setOverlay(overlay: ReadonlyMap<string, string>): void;
}

export function createSourceSet(root: string): SourceSet {
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    skipLoadingLibFiles: true,
    compilerOptions: { allowJs: false, noEmit: true },
  });
  const disk = new Map<string, string | undefined>();
  const overlaid = new Map<string, SourceFile>();
  let overlay: ReadonlyMap<string, string> = new Map();
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

  return {
    root,
    text,
    sourceFile(rel) {
      const over = overlay.get(rel);
      if (over !== undefined) {
        // Overlaid text is parsed beside the original (same directory, so relative imports still
        // resolve) and the original stays parsed: a mutant run re-parses only the mutated file.
        let sf = overlaid.get(rel);
        if (!sf) {
          const abs = path.join(root, path.dirname(rel), `.overlay-${generation}-${path.basename(rel)}`);
          sf = project.createSourceFile(abs, over, { overwrite: true });
          overlaid.set(rel, sf);
        }
        return sf;
      }
      const t = readDisk(rel);
      if (t === undefined) return undefined;
      const abs = path.join(root, rel);
      return project.getSourceFile(abs) ?? project.createSourceFile(abs, t, { overwrite: true });
    },
    setOverlay(next) {
      // Old overlay files stay in the project (removing one walks every wrapper, which costs more
      // than the few parsed copies a mutant run keeps); each generation gets a fresh path.
      overlaid.clear();
      generation++;
      overlay = next;
    },
  };
}
