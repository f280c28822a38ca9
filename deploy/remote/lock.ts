import type { RemoteShell } from './ssh-session.ts';
import { sh, shQuote } from './sh-quote.ts';

export interface LockOwner {
  token: string;
  owner: string;
  host: string;
  pid: number;
  startedAt: number;
  heartbeatAt: number;
  ttlMs: number;
}

export type LockState = { state: 'free' } | { state: 'live'; owner: LockOwner } | { state: 'stale'; owner: LockOwner | null; ageMs: number };

/** A lock whose heartbeat is older than its TTL (on the host's clock) is stale; unreadable owners too. */
export function lockStateOf(ownerJson: string | null, remoteNowMs: number): LockState {
  if (ownerJson === null) return { state: 'free' };
  let owner: LockOwner;
  try {
    owner = JSON.parse(ownerJson) as LockOwner;
  } catch {
    return { state: 'stale', owner: null, ageMs: Number.POSITIVE_INFINITY };
  }
  const ageMs = remoteNowMs - owner.heartbeatAt;
  return ageMs > owner.ttlMs ? { state: 'stale', owner, ageMs } : { state: 'live', owner };
}

export const lockDir = (appDir: string) => `${appDir}/.deploy-lock`;

const NOW = `date +%s%3N`;

/** Reads the lock without touching it (preflight). */
export async function inspectLock(shell: RemoteShell, appDir: string): Promise<{ ok: boolean; reason: string; lock: LockState }> {
  const res = await shell.exec(`${NOW}; cat ${shQuote(`${lockDir(appDir)}/owner.json`)} 2>/dev/null || { [ -d ${shQuote(lockDir(appDir))} ] && echo '{corrupt'; }`);
  if (res.failure || res.code === null) return { ok: false, reason: `lock: ${res.failure ?? 'no exit code'}`, lock: { state: 'free' } };
  const [nowText, ...rest] = res.stdout.split('\n');
  const body = rest.join('\n').trim();
  return { ok: true, reason: '', lock: lockStateOf(body ? body : null, Number(nowText)) };
}

/**
 * Atomic `mkdir`, then the owner file. When held: a live lock refuses; a stale one is removed only with
 * `breakStale`, and only if it is still the same owner (compared by content), then retried once.
 */
export async function acquireLock(
  shell: RemoteShell,
  appDir: string,
  me: Omit<LockOwner, 'startedAt' | 'heartbeatAt'>,
  breakStale: boolean,
): Promise<{ ok: boolean; reason: string; held?: LockState; owner?: LockOwner; brokeStale?: LockOwner | null }> {
  let brokeStale: LockOwner | null | undefined;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const dir = lockDir(appDir);
    const script = `now=$(${NOW}); if mkdir ${shQuote(dir)} 2>/dev/null; then printf '%s' "$now"; echo ' ACQUIRED'; else echo "$now HELD"; fi`;
    const res = await shell.exec(script);
    if (res.failure || res.code !== 0) return { ok: false, reason: `lock: ${res.failure ?? res.stderr.trim()}` };
    const [nowText, verdict] = res.stdout.trim().split(' ');
    const now = Number(nowText);
    if (verdict === 'ACQUIRED') {
      const owner: LockOwner = { ...me, startedAt: now, heartbeatAt: now };
      const w = await writeOwner(shell, appDir, owner);
      return w.ok ? { ok: true, reason: '', owner, brokeStale } : { ok: false, reason: w.reason };
    }
    const seen = await inspectLock(shell, appDir);
    if (seen.lock.state === 'free') continue;
    if (seen.lock.state === 'live') {
      const o = seen.lock.owner;
      return { ok: false, reason: `lock held by ${o.owner}@${o.host} pid ${o.pid} since ${new Date(o.startedAt).toISOString()}`, held: seen.lock };
    }
    if (!breakStale) {
      return { ok: false, reason: `stale lock (${Math.round(seen.lock.ageMs / 1000)}s past heartbeat) by ${seen.lock.owner?.owner ?? 'unknown'}: re-run with --break-stale-lock`, held: seen.lock };
    }
    brokeStale = seen.lock.owner;
    await shell.exec(sh('rm', '-rf', '--', dir));
  }
  return { ok: false, reason: 'lock: could not acquire after breaking a stale lock' };
}

async function writeOwner(shell: RemoteShell, appDir: string, owner: LockOwner): Promise<{ ok: boolean; reason: string }> {
  const file = `${lockDir(appDir)}/owner.json`;
  const res = await shell.exec(`cat > ${shQuote(`${file}.tmp`)} && mv -f ${shQuote(`${file}.tmp`)} ${shQuote(file)}`, { stdin: JSON.stringify(owner) });
  return res.code === 0 ? { ok: true, reason: '' } : { ok: false, reason: `lock owner write: ${res.failure ?? res.stderr.trim()}` };
}

/**
 * Refreshes the heartbeat, and pushes the revert deadline when one is given; only while we own the lock.
 * Not ok when the lock is no longer ours (stolen, broken as stale, removed) or the refresh failed.
 */
export async function heartbeat(shell: RemoteShell, appDir: string, owner: LockOwner, deadlineFile?: { path: string; windowMs: number }): Promise<{ ok: boolean; reason: string }> {
  const file = `${lockDir(appDir)}/owner.json`;
  const push = deadlineFile
    ? ` && echo $(( $(${NOW}) + ${Math.round(deadlineFile.windowMs)} )) > ${shQuote(`${deadlineFile.path}.tmp`)} && mv -f ${shQuote(`${deadlineFile.path}.tmp`)} ${shQuote(deadlineFile.path)}`
    : '';
  const script = `{ grep -q ${shQuote(owner.token)} ${shQuote(file)} || exit 3; } && sed -i "s/\\"heartbeatAt\\":[0-9]*/\\"heartbeatAt\\":$(${NOW})/" ${shQuote(file)}${push}`;
  const res = await shell.exec(script, { timeoutMs: 10_000 });
  if (res.code === 0) return { ok: true, reason: '' };
  if (res.code === 3) return { ok: false, reason: `lock ${lockDir(appDir)} is no longer ours (stolen, broken as stale, or removed)` };
  return { ok: false, reason: `heartbeat failed: ${res.failure ?? (res.stderr.trim() || `exit ${String(res.code)}`)}` };
}

export async function releaseLock(shell: RemoteShell, appDir: string, owner: LockOwner): Promise<boolean> {
  const dir = lockDir(appDir);
  const res = await shell.exec(`grep -q ${shQuote(owner.token)} ${shQuote(`${dir}/owner.json`)} && rm -rf -- ${shQuote(dir)}`, { timeoutMs: 10_000 });
  return res.code === 0;
}
