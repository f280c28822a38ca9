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
  const parsedText = new Map<string, string>();
  let overlay: ReadonlyMap<string, string> = new Map();

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
      const t = text(rel);
      if (t === undefined) return undefined;
      const abs = path.join(root, rel);
      const existing = project.getSourceFile(abs);
      if (existing && parsedText.get(rel) === t) return existing;
      parsedText.set(rel, t);
      return project.createSourceFile(abs, t, { overwrite: true });
    },
    setOverlay(next) {
      overlay = next;
    },
  };
}
