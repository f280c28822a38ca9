import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Temp copies of app/ with one mutated file each, sharing the real node_modules through a symlink, so
 * the probes can import a mutant exactly as they import the real tree.
 */
export interface Workspaces {
  make(files: ReadonlyMap<string, string>): string;
  dispose(): void;
}

export function createWorkspaces(root: string, tmp = os.tmpdir()): Workspaces {
  const base = mkdtempSync(path.join(tmp, 'leakproof-mutants-'));
  let n = 0;
  return {
    make(files) {
      const dir = path.join(base, String(n++));
      cpSync(path.join(root, 'app'), path.join(dir, 'app'), { recursive: true });
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
