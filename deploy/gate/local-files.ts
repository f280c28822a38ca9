import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { BUNDLE_NAME, DEFAULT_OUT_DIR } from '../../app/build/build-bundle.ts';
import type { UploadFile } from '../remote/upload.ts';

/** The bundle, relative to the project root and to the app dir on the host; the unit runs it. */
export const BUNDLE_PATH = posix.join(DEFAULT_OUT_DIR, BUNDLE_NAME);

/**
 * The one place that decides what is uploaded: the bundle `npm run build` wrote and its source map
 * (for stack traces offline; the unit does not load it). No node_modules, no tsx, no sources.
 */
export const FILES_TO_UPLOAD: readonly string[] = [BUNDLE_PATH, `${BUNDLE_PATH}.map`];

export async function hashLocalFiles(root: string, paths: readonly string[]): Promise<{ ok: true; files: UploadFile[] } | { ok: false; reason: string }> {
  const files: UploadFile[] = [];
  for (const path of [...paths].sort()) {
    const localPath = join(root, path);
    try {
      const [buf, st] = await Promise.all([readFile(localPath), stat(localPath)]);
      files.push({ path, localPath, sha256: createHash('sha256').update(buf).digest('hex'), mode: st.mode & 0o777, size: st.size });
    } catch (err) {
      return { ok: false, reason: `file ${path}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}` };
    }
  }
  return { ok: true, files };
}
