import { posix } from 'node:path';
import type { RemoteShell } from './ssh-session.ts';
import { sh } from './sh-quote.ts';
import type { StepOutcome } from './step.ts';

export interface UploadFile {
  /** Relative path inside the app dir. */
  path: string;
  localPath: string;
  sha256: string;
  mode: number;
  size: number;
}

export interface UploadEvidence {
  uploaded: string[];
  bytesTimeoutMs: number;
}

/**
 * Uploads every file to a temp name beside its target, checks each temp's sha256 on the host, then
 * renames them all in one command, so the tree flips from old to new with no half-written file.
 * Any failure removes the temps and reports which file and why.
 */
export async function uploadFiles(shell: RemoteShell, appDir: string, files: UploadFile[], token: string, timeoutMs: number, guard?: { test: string; refused: string }): Promise<StepOutcome<UploadEvidence>> {
  const ev: UploadEvidence = { uploaded: [], bytesTimeoutMs: timeoutMs };
  // A redeploy of identical files still restarts and proves; there is just nothing to send.
  if (files.length === 0) return { ok: true, reason: '', evidence: ev };
  const abs = (p: string) => posix.join(appDir, p);
  const tmp = (p: string) => `${abs(p)}.lp-upload-${token}`;
  const cleanup = () => shell.exec(sh('rm', '-f', '--', ...files.map((f) => tmp(f.path))), { timeoutMs: 15_000 });
  const dirs = [...new Set(files.map((f) => posix.dirname(abs(f.path))))];
  const mk = await shell.exec(sh('mkdir', '-p', '--', ...dirs));
  if (mk.failure || mk.code !== 0) return { ok: false, reason: `upload: mkdir: ${mk.failure ?? mk.stderr.trim()}`, evidence: ev };
  for (const f of files) {
    const put = await shell.put(f.localPath, tmp(f.path), timeoutMs);
    if (!put.ok) {
      await cleanup();
      return { ok: false, reason: put.reason, evidence: ev };
    }
    ev.uploaded.push(f.path);
  }
  const sums = await shell.exec(sh('sha256sum', '--', ...files.map((f) => tmp(f.path))), { timeoutMs });
  if (sums.failure || sums.code !== 0) {
    await cleanup();
    return { ok: false, reason: `upload: sha256sum: ${sums.failure ?? sums.stderr.trim()}`, evidence: ev };
  }
  const got = sums.stdout.trim().split('\n').map((l) => l.slice(0, 64));
  const bad = files.filter((f, i) => got[i] !== f.sha256).map((f) => f.path);
  if (bad.length) {
    await cleanup();
    return { ok: false, reason: `upload: hash mismatch on the host for ${bad.join(', ')}`, evidence: ev };
  }
  const script = files.map((f) => `${sh('chmod', (f.mode & 0o777).toString(8), tmp(f.path))} && ${sh('mv', '-f', '--', tmp(f.path), abs(f.path))}`).join(' && ');
  const mv = await shell.exec(guard ? `{ ${guard.test} || exit 99; } && ${script}` : script, { timeoutMs });
  if (mv.failure || mv.code !== 0) {
    await cleanup();
    return { ok: false, reason: `upload: rename: ${mv.failure ?? (guard && mv.code === 99 ? guard.refused : mv.stderr.trim())}`, evidence: ev };
  }
  return { ok: true, reason: '', evidence: ev };
}
