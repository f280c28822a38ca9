import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { QaResult } from '../reports/schemas/qa-result.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const run = promisify(execFile);

/**
 * What a developer would do by hand to app/: each edit removes one fix, or brings back the historical
 * loop that exited right after the startup cleanup. `npm run qa` on that tree must exit 1 and name the fix.
 */
const HAND_EDITS = [
  {
    fix: 'ohlcv-initial-trim',
    file: 'app/manager/market-data-manager.ts',
    find: 'const trimmed = rows.slice(-limit);',
    replace: 'const trimmed = rows;',
  },
  {
    fix: 'cleanup-immediate-then-periodic',
    file: 'app/cleanup/periodic-memory-cleanup.ts',
    find: '  while (!signal.aborted) {',
    replace: '  const monitoring = false; // the original: set true only after the task had started\n  while (monitoring && !signal.aborted) {',
  },
] as const;

const copies: string[] = [];
afterAll(() => Promise.all(copies.map((dir) => rm(dir, { recursive: true, force: true }))));

/** The project as a user's checkout has it (sources only), sharing this checkout's node_modules. */
async function copyProject(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'leakproof-qa-'));
  copies.push(dir);
  const skip = new Set(['reports/out', '.tmp', 'node_modules', '.git']);
  for (const entry of ['app', 'checks', 'reports', 'package.json', 'tsconfig.json']) {
    await cp(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (src) => !skip.has(relative(ROOT, src)) });
  }
  await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

async function qa(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', 'checks/qa.ts', ...args], {
      cwd: dir,
      env: { ...process.env, CI: '1' },
      maxBuffer: 64 << 20,
      timeout: 240_000,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('npm run qa on a tree edited by hand', { timeout: 300_000 }, () => {
  // One at a time: each run is a full QA, and CI runs the VPS tests beside this file.
  it.each(HAND_EDITS)('exits 1 and names $fix when it is removed', async (edit) => {
    const dir = await copyProject();
    const path = join(dir, edit.file);
    const source = await readFile(path, 'utf8');
    expect(source, `${edit.file} no longer holds the line this test edits`).toContain(edit.find);
    await writeFile(path, source.replace(edit.find, edit.replace));

    const out = await qa(dir, ['--no-soak', '--json', '--out', join(dir, 'out')]);
    expect(out.code, out.stderr).toBe(1);
    const result = JSON.parse(out.stdout) as QaResult;
    expect(result.verdict).toBe('FAIL');
    expect(result.fixes.find((f) => f.specId === edit.fix)?.status).toBe('fail');
    expect(result.verdictReasons.join('\n')).toContain(edit.fix);
  });

  it('exits 2 with one line on a bad flag value', async () => {
    const out = await qa(ROOT, ['--soak', 'banana']);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^qa: usage: .*banana/);
  });
});
