import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describeFailure, lastLines, runProcess } from '../../app/core/run-process.ts';
import { z } from 'zod';
import { bundleSourceFiles, metafileOf } from '../../app/build/build-bundle.ts';
import { BUNDLE_PATH } from './local-files.ts';

export interface ReleaseBuild {
  /** Root-relative files that decided the bundle's bytes (esbuild's metafile inputs + the build definition). */
  sourceFiles: string[];
  bundleSha256: string;
}

export type RunBuild = (root: string) => Promise<string>;

/** `npm run build` in the root, as a user would run it: the root's own build definition decides the bytes. */
const npmRunBuild: RunBuild = async (root) => {
  const r = await runProcess(['npm', 'run', '--silent', 'build'], { cwd: root, timeoutMs: 300_000 });
  if (r.code !== 0) throw new Error(lastLines(r.stderr) || describeFailure(r));
  return r.stdout;
};

const MetafileSchema = z.object({ inputs: z.record(z.string(), z.unknown()) });

const firstLine = (err: unknown) => {
  const e = err as { stderr?: unknown };
  const text = typeof e.stderr === 'string' && e.stderr.trim() ? e.stderr : err instanceof Error ? err.message : String(err);
  return text.trim().split('\n')[0] ?? '';
};

/**
 * Builds the release: runs the build, checks it wrote the bundle where the unit runs it (the last stdout
 * line), and reads the exact source set from the metafile the build wrote beside it, so what QA hashed
 * and what ships come from one build.
 */
export async function buildRelease(root: string, run: RunBuild = npmRunBuild): Promise<{ ok: true; build: ReleaseBuild } | { ok: false; reason: string }> {
  let stdout: string;
  try {
    stdout = await run(root);
  } catch (err) {
    return { ok: false, reason: `npm run build failed: ${firstLine(err)}` };
  }
  const printed = stdout.trim().split('\n').pop() ?? '';
  const bundle = resolve(root, BUNDLE_PATH);
  if (resolve(root, printed) !== bundle) return { ok: false, reason: `npm run build printed "${printed}" as its bundle, expected ${bundle}` };
  let meta: z.infer<typeof MetafileSchema>;
  try {
    meta = MetafileSchema.parse(JSON.parse(await readFile(metafileOf(bundle), 'utf8')));
  } catch (err) {
    return { ok: false, reason: `build metafile ${metafileOf(bundle)}: ${firstLine(err)}` };
  }
  const bytes = await readFile(bundle);
  return { ok: true, build: { sourceFiles: bundleSourceFiles(meta), bundleSha256: createHash('sha256').update(bytes).digest('hex') } };
}
