import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { QaResult } from '../../reports/schemas/qa-result.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

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
export async function qa(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', 'checks/qa.ts', ...args], {
      cwd: dir,
      env: { ...process.env, CI: '1' },
      maxBuffer: 64 << 20,
      timeout: 600_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** The result `qa --json` printed, checked against its schema (a test must not trust a cast). */
export const qaResultOf = (stdout: string): QaResult => QaResult.parse(JSON.parse(stdout));
