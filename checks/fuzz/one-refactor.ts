import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FuzzProject } from './fuzz-project.ts';
import { fastQa, writeTree, type FastVerdict } from './judge.ts';
import type { RefactorOperator } from './operator-types.ts';
import { createRng } from './rng.ts';

/** One operator applied to one file of the pristine project (a named refactor, as the table has them), judged like a fuzz variant. */
export async function judgeRefactor(fp: FuzzProject, op: RefactorOperator, file: string, seed = 1): Promise<{ applied: boolean; changed: string[]; verdict?: FastVerdict }> {
  fp.reset();
  const applied = op.apply({ project: fp.project, rng: createRng(seed), files: () => fp.editable().filter((sf) => sf.getFilePath().endsWith(file)) });
  const { changed, removed } = fp.changes();
  if (!applied) return { applied, changed: [] };
  const dir = await mkdtemp(path.join(tmpdir(), 'leakproof-refactor-'));
  try {
    await writeTree(fp.root, dir, changed, removed);
    return { applied, changed: [...changed.keys()], verdict: await fastQa(dir) };
  } finally {
    fp.reset();
    await rm(dir, { recursive: true, force: true });
  }
}
