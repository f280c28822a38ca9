import { diffFiles, type FileDiff } from '../releases/release-record.ts';
import { hostTool, HOST_TOOL } from '../remote/host-tool.ts';
import { sudoCommandsFor } from '../setup/render-host-files.ts';
import { inspectLock, type LockState } from '../remote/lock.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';
import { sh } from '../remote/sh-quote.ts';
import type { StepOutcome } from '../remote/step.ts';
import type { UploadFile } from '../remote/upload.ts';
import { unitName, unitStatus } from '../remote/unit-status.ts';

export interface PreflightEvidence {
  sudoOk: boolean;
  unitLoaded: boolean;
  freeKb: number;
  needKb: number;
  lock: LockState;
  depsMatch: boolean;
  diff: FileDiff[];
}

export const depsHashPath = (appDir: string) => `${appDir}/backups/deps.sha256`;

/**
 * Read-only checks. A `kind` of 'usage' means nothing can work until an admin acts (exit 2), 'locked'
 * means another deploy holds the host (exit 3).
 */
export async function preflight(
  shell: RemoteShell,
  o: { appDir: string; service: string; files: UploadFile[]; lockSha256: string | undefined },
): Promise<StepOutcome<PreflightEvidence> & { kind?: 'usage' | 'locked' }> {
  const ev: PreflightEvidence = { sudoOk: false, unitLoaded: false, freeKb: 0, needKb: 0, lock: { state: 'free' }, depsMatch: true, diff: [] };
  const fail = (kind: 'usage' | 'locked', reason: string) => ({ ok: false, reason, evidence: ev, kind });
  const sudo = await shell.exec('sudo -n -l 2>&1', { timeoutMs: 15_000 });
  if (sudo.failure) return fail('usage', `preflight: ${sudo.failure}`);
  const missing = sudoCommandsFor(o.service).filter((c) => !sudo.stdout.includes(c));
  ev.sudoOk = missing.length === 0;
  if (!ev.sudoOk) return fail('usage', `preflight: sudo does not allow: ${missing.join('; ')} (run deploy setup and install its sudoers lines)`);
  const st = await unitStatus(shell, o.service);
  ev.unitLoaded = st.ok && st.status.loadState === 'loaded';
  if (!ev.unitLoaded) return fail('usage', `preflight: unit ${unitName(o.service)} is not installed: run deploy setup`);
  const tool = await shell.exec(sh('test', '-r', HOST_TOOL));
  if (tool.code !== 0) return fail('usage', `preflight: ${HOST_TOOL} missing: run deploy setup`);
  const deps = await shell.exec(sh('cat', depsHashPath(o.appDir)));
  ev.depsMatch = deps.code === 0 && deps.stdout.trim() === o.lockSha256;
  if (o.lockSha256 !== undefined && !ev.depsMatch) return fail('usage', 'preflight: package-lock.json differs from the installed dependencies: re-run setup');
  const df = await shell.exec(sh('df', '-Pk', '--', o.appDir));
  ev.freeKb = Number(df.stdout.trim().split('\n')[1]?.split(/\s+/)[3] ?? 0);
  const lock = await inspectLock(shell, o.appDir);
  ev.lock = lock.lock;
  const hashes = await hostTool<{ files: { path: string; existed: boolean; sha256?: string }[] }>(shell, 'hash', o.appDir, undefined, { files: o.files.map((f) => f.path) });
  if (!hashes.ok) return fail('usage', `preflight: ${hashes.reason}`);
  ev.diff = diffFiles(o.files, new Map(hashes.value.files.map((f) => [f.path, f.sha256 ?? null])));
  // Backup of the replaced files + temp uploads + content-store copies, with slack.
  const bytes = o.files.reduce((a, f) => a + f.size, 0);
  ev.needKb = Math.ceil((3 * bytes) / 1024) + 1024;
  if (ev.freeKb < ev.needKb) return fail('usage', `preflight: ${ev.freeKb} KB free in ${o.appDir}, need ${ev.needKb} KB`);
  if (ev.lock.state === 'live') return fail('locked', `preflight: lock held by ${ev.lock.owner.owner}@${ev.lock.owner.host} pid ${ev.lock.owner.pid}`);
  return { ok: true, reason: '', evidence: ev };
}
