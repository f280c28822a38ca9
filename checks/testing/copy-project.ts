import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess, type ProcessResult } from '../../app/core/run-process.ts';
import { QaResult } from '../../reports/schemas/qa-result.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The project as a user's checkout has it (sources and the lockfile the build hashes), sharing node_modules. */
export async function copyProject(copies: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leakproof-qa-'));
  copies.push(dir);
  const skip = new Set(['reports/out', '.tmp', 'node_modules', '.git']);
  for (const entry of ['app', 'checks', 'reports', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    await cp(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (src) => !skip.has(relative(ROOT, src)) });
  }
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

export const removeCopies = (copies: string[]) => Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true })));

/** `npm run qa` in `dir` (as CI runs it: no TTY renderer), with its exit code and output. */
export const qa = (dir: string, args: string[]): Promise<ProcessResult> =>
  runProcess([process.execPath, '--expose-gc', '--import', 'tsx', 'checks/qa.ts', ...args], {
    cwd: dir,
    env: { ...process.env, CI: '1' },
    timeoutMs: 600_000,
  });

/** The result `qa --json` printed, checked against its schema (a test must not trust a cast). */
export const qaResultOf = (stdout: string): QaResult => QaResult.parse(JSON.parse(stdout));
