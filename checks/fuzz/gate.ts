import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { FuzzProject } from './fuzz-project.ts';

const run = promisify(execFile);

/** ts-morph hands program files without package.json's "type": "module" (TS1470 on import.meta); tsc accepts them. */
const HOST_ARTEFACTS = new Set([1470]);

/** Compiler errors in the changed files and the files that import them, one line each. */
export function typeErrors(fp: FuzzProject, changed: readonly string[]): string[] {
  const program = fp.project.getProgram();
  const files = changed.flatMap((rel) => fp.project.getSourceFile(path.join(fp.root, rel)) ?? []);
  const importers = files.flatMap((sf) => sf.getReferencingSourceFiles());
  return [...new Set([...files, ...importers])].flatMap((sf) =>
    [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)]
      .filter((d) => !HOST_ARTEFACTS.has(d.getCode()))
      .map((d) => `${path.relative(fp.root, sf.getFilePath())}:${d.getLineNumber() ?? 0}: ${String(d.getMessageText()).split('\n')[0] ?? ''}`),
  );
}

/** Test files that declare themselves slow (`// @module-tag e2e`): not part of the unit tier. */
function e2eTests(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const p = path.join(rel, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts') && readFileSync(path.join(dir, p), 'utf8').startsWith('// @module-tag e2e')) out.push(p);
    }
  };
  walk('app');
  return out;
}

/** app/'s own unit tests that import a changed file, in `dir` (vitest related); ok false with the tail of its output. */
export async function unitTests(dir: string, changed: readonly string[]): Promise<{ ok: boolean; output: string }> {
  const exclude = e2eTests(dir).flatMap((f) => ['--exclude', f]);
  try {
    await run('nice', ['-n', '10', process.execPath, path.join(dir, 'node_modules/vitest/vitest.mjs'), 'related', '--run', '--dir', 'app', '--passWithNoTests', ...exclude, ...changed], {
      cwd: dir,
      env: { ...process.env, CI: '1' },
      timeout: 300_000,
      maxBuffer: 16 << 20,
    });
    return { ok: true, output: '' };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? e.message ?? ''}`.split('\n').slice(-30).join('\n') };
  }
}
