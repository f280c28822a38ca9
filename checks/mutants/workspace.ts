import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { scanImports } from '../engine/import-scan.ts';

/**
 * Temp copies of app/ for probing mutants. Every file is a symlink to the original (Node resolves ESM
 * symlinks to the real path, so unchanged modules load once for all mutants) except the mutated file
 * and every file that imports it, directly or not: those are real copies, so each resolves its imports
 * inside the copy and reaches the mutant.
 */
export interface Workspaces {
  make(files: ReadonlyMap<string, string>): string;
  dispose(): void;
}

function listFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = path.posix.join(rel, e.name);
    return e.isDirectory() ? listFiles(dir, r) : [r];
  });
}

/** Root-relative importers of each app file (reverse edges of relative imports). */
function reverseImports(root: string, files: string[]): Map<string, string[]> {
  const rev = new Map<string, string[]>();
  for (const f of files.filter((x) => x.endsWith('.ts'))) {
    for (const ref of scanImports(readFileSync(path.join(root, f), 'utf8'))) {
      if (!ref.specifier.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), ref.specifier));
      rev.set(target, [...(rev.get(target) ?? []), f]);
    }
  }
  return rev;
}

export function createWorkspaces(root: string, tmp = os.tmpdir()): Workspaces {
  const base = mkdtempSync(path.join(tmp, 'leakproof-mutants-'));
  const appFiles = listFiles(root, 'app');
  let rev: Map<string, string[]> | undefined;
  let n = 0;
  return {
    make(files) {
      rev ??= reverseImports(root, appFiles);
      const dir = path.join(base, String(n++));
      const copies = new Set<string>();
      const queue = [...files.keys()];
      while (queue.length > 0) {
        const f = queue.pop()!;
        if (copies.has(f)) continue;
        copies.add(f);
        queue.push(...(rev.get(f) ?? []));
      }
      for (const f of appFiles) {
        mkdirSync(path.join(dir, path.dirname(f)), { recursive: true });
        if (copies.has(f)) cpSync(path.join(root, f), path.join(dir, f));
        else symlinkSync(path.join(root, f), path.join(dir, f));
      }
      cpSync(path.join(root, 'package.json'), path.join(dir, 'package.json'));
      symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      for (const [rel, text] of files) writeFileSync(path.join(dir, rel), text);
      return dir;
    },
    dispose() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
