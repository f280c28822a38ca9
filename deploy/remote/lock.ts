import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { localUserName } from '../config/local-user.ts';
import { z } from 'zod';
import type { RemoteShell } from './ssh-session.ts';
import { sh, shQuote } from './sh-quote.ts';

const LockOwnerSchema = z.object({
  token: z.string(),
  owner: z.string(),
  host: z.string(),
  pid: z.number().int(),
  /** The pid's start time (clock ticks since boot, /proc/<pid>/stat field 22), so a reused pid is not "alive". */
  pidStart: z.number().int().optional(),
  /** The release the holder deploys: when its revert has fired, the holder is gone. */
  releaseId: z.string().optional(),
  startedAt: z.number(),
  heartbeatAt: z.number(),
  ttlMs: z.number(),
});
export type LockOwner = z.infer<typeof LockOwnerSchema>;
export type NewOwner = Omit<LockOwner, 'startedAt' | 'heartbeatAt'>;

export type LockState = { state: 'free' } | { state: 'live'; owner: LockOwner } | { state: 'stale'; owner: LockOwner | null; ageMs: number };

/** A lock whose heartbeat is older than its TTL (on the host's clock) is stale; unreadable owners too. */
export function lockStateOf(ownerJson: string | null, remoteNowMs: number): LockState {
  if (ownerJson === null) return { state: 'free' };
  let owner: LockOwner;
  try {
    owner = LockOwnerSchema.parse(JSON.parse(ownerJson));
  } catch {
    return { state: 'stale', owner: null, ageMs: Number.POSITIVE_INFINITY };
  }
  const ageMs = remoteNowMs - owner.heartbeatAt;
  return ageMs > owner.ttlMs ? { state: 'stale', owner, ageMs } : { state: 'live', owner };
}

export const lockDir = (appDir: string) => `${appDir}/.deploy-lock`;

/** Start time of a pid from its /proc stat line (field 22; the command name may hold spaces and parens). */
export const pidStartOf = (statLine: string): number => Number(statLine.slice(statLine.lastIndexOf(')') + 2).split(' ')[19]);

const readStat = (pid: number) => readFileSync(`/proc/${pid}/stat`, 'utf8');

/** This process as a lock owner: who, where, which pid (and when it started). */
export function thisProcess(token: string, ttlMs: number, releaseId?: string): NewOwner {
  return { token, owner: localUserName(), host: hostname(), pid: process.pid, pidStart: pidStartOf(readStat(process.pid)), releaseId, ttlMs };
}

/**
 * Why a holder on this very machine is gone (its pid is not running, or is another process now), or
 * undefined when it may be alive or runs elsewhere (only its TTL can tell then).
 */
export function goneOnThisMachine(owner: LockOwner, here = hostname(), stat: (pid: number) => string = readStat): string | undefined {
  if (owner.host !== here) return undefined;
  let line: string;
  try {
    line = stat(owner.pid);
  } catch {
    return `pid ${owner.pid} is not running on ${here}`;
  }
  if (owner.pidStart !== undefined && pidStartOf(line) !== owner.pidStart) return `pid ${owner.pid} on ${here} is another process now`;
  return undefined;
}

export interface TakeOver {
  owner: LockOwner | null;
  why: string;
}

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
 * Atomic `mkdir`, then the owner file. When held: a holder that `gone` says is dead is taken over at
 * once (recorded); otherwise a live lock refuses, and a stale one is removed only with `breakStale`.
 * Removal is conditional on the same owner token still being there, then the mkdir is retried once.
 */
export async function acquireLock(
  shell: RemoteShell,
  appDir: string,
  me: NewOwner,
  breakStale: boolean,
  gone: (owner: LockOwner) => Promise<string | undefined> = async (o) => goneOnThisMachine(o),
): Promise<{ ok: boolean; reason: string; held?: LockState; owner?: LockOwner; tookOver?: TakeOver }> {
  let tookOver: TakeOver | undefined;
  const dir = lockDir(appDir);
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const script = `now=$(${NOW}); if mkdir ${shQuote(dir)} 2>/dev/null; then printf '%s' "$now"; echo ' ACQUIRED'; else echo "$now HELD"; fi`;
    const res = await shell.exec(script);
    if (res.failure || res.code !== 0) return { ok: false, reason: `lock: ${res.failure ?? res.stderr.trim()}` };
    const [nowText, verdict] = res.stdout.trim().split(' ');
    const now = Number(nowText);
    if (verdict === 'ACQUIRED') {
      const owner: LockOwner = { ...me, startedAt: now, heartbeatAt: now };
      const w = await writeOwner(shell, appDir, owner);
      return w.ok ? { ok: true, reason: '', owner, tookOver } : { ok: false, reason: w.reason };
    }
    const seen = await inspectLock(shell, appDir);
    if (seen.lock.state === 'free') continue;
    const holder = seen.lock.owner;
    const why = holder ? await gone(holder) : undefined;
    if (why === undefined && seen.lock.state === 'live') {
      return { ok: false, reason: `lock held by ${seen.lock.owner.owner}@${seen.lock.owner.host} pid ${seen.lock.owner.pid} since ${new Date(seen.lock.owner.startedAt).toISOString()}`, held: seen.lock };
    }
    if (why === undefined && !breakStale && seen.lock.state === 'stale') {
      return { ok: false, reason: `stale lock (${Math.round(seen.lock.ageMs / 1000)}s past heartbeat) by ${seen.lock.owner?.owner ?? 'unknown'}: re-run with --break-stale-lock`, held: seen.lock };
    }
    tookOver = { owner: holder, why: why ?? 'stale, broken with --break-stale-lock' };
    await shell.exec(holder ? `grep -q ${shQuote(holder.token)} ${shQuote(`${dir}/owner.json`)} && ${sh('rm', '-rf', '--', dir)}` : sh('rm', '-rf', '--', dir));
  }
  return { ok: false, reason: 'lock: could not acquire after taking over a dead lock' };
}

async function writeOwner(shell: RemoteShell, appDir: string, owner: LockOwner): Promise<{ ok: boolean; reason: string }> {
  const file = `${lockDir(appDir)}/owner.json`;
  // The owner travels in the command line, not stdin: a deploy killed mid-call must not leave an empty
  // owner file (an unreadable owner is "stale" and would need --break-stale-lock).
  const res = await shell.exec(`${sh('printf', '%s', JSON.stringify(owner))} > ${shQuote(`${file}.tmp`)} && mv -f ${shQuote(`${file}.tmp`)} ${shQuote(file)}`);
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
