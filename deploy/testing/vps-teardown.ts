import { isAlive } from './nspawn-process.ts';
import { mountsUnder, unmountAllUnder } from './guest-rootfs.ts';
import { removeGuestNetwork } from './guest-network.ts';
import { releaseClaim } from './vps-claim.ts';
import type { VpsOwner } from './vps-claim.ts';
import type { VpsLayout } from './vps-layout.ts';

export interface TeardownOptions {
  /** How long the guest may take to halt cleanly before nspawn is told to terminate at once. */
  gracefulMs?: number;
}

export interface TeardownResult {
  ok: boolean;
  /** How the guest went down: 'halted', 'terminated', 'killed', 'not-running', or 'already-gone' (swept). */
  stoppedBy: string;
  durationMs: number;
  leftovers: string[];
}

const POLL_MS = 25;

async function waitGone(pids: number[], ms: number): Promise<boolean> {
  const rounds = Math.max(1, Math.ceil(ms / POLL_MS));
  for (let i = 0; i < rounds; i++) {
    if (!pids.some(isAlive)) return true;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  return !pids.some(isAlive);
}

function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone: exactly what teardown wants.
  }
}

/**
 * nspawn halts the guest on the first SIGTERM and terminates it on the second; SIGKILL on the guest's
 * PID 1 ends its whole pid namespace. Every step is bounded, so a wedged guest costs seconds, not a hang.
 */
async function stopGuest(nspawnPid: number | undefined, leaderPid: number | undefined, gracefulMs: number): Promise<string> {
  const pids = [nspawnPid, leaderPid].filter((p): p is number => p !== undefined);
  if (!pids.some(isAlive)) return 'not-running';
  signal(nspawnPid, 'SIGTERM');
  if (await waitGone(pids, gracefulMs)) return 'halted';
  signal(nspawnPid, 'SIGTERM');
  if (await waitGone(pids, 2_000)) return 'terminated';
  signal(leaderPid, 'SIGKILL');
  signal(nspawnPid, 'SIGKILL');
  await waitGone(pids, 3_000);
  return 'killed';
}

export async function teardownVps(l: VpsLayout, owner: VpsOwner | undefined, options: TeardownOptions = {}): Promise<TeardownResult> {
  const started = Date.now();
  const stoppedBy = await stopGuest(owner?.nspawnPid, owner?.leaderPid, options.gracefulMs ?? 5_000);
  const leftovers: string[] = [];
  for (const pid of [owner?.nspawnPid, owner?.leaderPid]) if (pid !== undefined && isAlive(pid)) leftovers.push(`process ${pid}`);
  leftovers.push(...(await unmountAllUnder(l.stateDir)).map((m) => `mount ${m}`));
  await removeGuestNetwork(owner?.name ?? l.name, l.hostVeth);
  if ((await mountsUnder(l.stateDir)).length === 0) await releaseClaim(l);
  else leftovers.push(`state dir ${l.stateDir} kept: still has mounts`);
  return { ok: leftovers.length === 0, stoppedBy, durationMs: Date.now() - started, leftovers };
}
