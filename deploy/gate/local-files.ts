import { createHash } from 'node:crypto';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { UploadFile } from '../remote/upload.ts';

export async function hashLocalFiles(root: string, paths: readonly string[]): Promise<{ ok: true; files: UploadFile[] } | { ok: false; reason: string }> {
  const files: UploadFile[] = [];
  for (const path of [...paths].sort()) {
    const localPath = join(root, path);
    try {
      const [buf, st] = await Promise.all([readFile(localPath), stat(localPath)]);
      files.push({ path, localPath, sha256: createHash('sha256').update(buf).digest('hex'), mode: st.mode & 0o777, size: st.size });
    } catch (err) {
      return { ok: false, reason: `file to deploy ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}` };
    }
  }
  return { ok: true, files };
}

/**
 * Fallback file set when neither the inventory nor a QA report lists one (only with --skip-qa): every
 * non-test source under app/ outside testing/ and bench/, plus the two package manifests. The real
 * set is the QA report's import closure of app/main.ts.
 */
export async function fallbackFileSet(root: string): Promise<string[]> {
  const out: string[] = ['package.json', 'package-lock.json'];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'testing' && e.name !== 'bench' && e.name !== 'node_modules') await walk(abs);
      } else if (/\.(ts|json)$/.test(e.name) && !e.name.endsWith('.test.ts')) {
        out.push(relative(root, abs));
      }
    }
  };
  await walk(join(root, 'app'));
  return out.sort();
}
