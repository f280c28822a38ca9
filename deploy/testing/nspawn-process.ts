import { openSync, closeSync, readFileSync, readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { VpsLayout } from './vps-layout.ts';

/** Hides host paths the guest must not see (the work tree, root's home) and gives it a private /tmp. */
const HIDDEN_HOST_DIRS = ['/work', '/root', '/tmp'];

/**
 * Starts nspawn detached (setsid, console to a file), so a VPS outlives the process that booted it only
 * when asked to (the CLI); the test harness always stops it. Returns nspawn's pid.
 */
export function startNspawn(l: VpsLayout): number {
  const log = openSync(path.join(l.stateDir, 'console.log'), 'a', 0o600);
  try {
    const args = [
      '-q', '-D', l.rootDir, '-M', l.name,
      `--network-namespace-path=${l.netnsPath}`,
      '--register=no', '--keep-unit', '--link-journal=no', '--boot', '--console=pipe',
      ...HIDDEN_HOST_DIRS.map((d) => `--tmpfs=${d}`),
    ];
    // detached: node calls setsid() in the child, which is what nspawn needs to own its session.
    const child = spawn('systemd-nspawn', args, { stdio: ['ignore', log, log], detached: true });
    child.unref();
    if (child.pid === undefined) throw new Error('systemd-nspawn: spawn returned no pid');
    return child.pid;
  } finally {
    closeSync(log);
  }
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function isAlive(pid: number): boolean {
  return readOr(`/proc/${pid}/stat`) !== '' && !/\) Z /.test(readOr(`/proc/${pid}/stat`));
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((t) => readOr(`/proc/${pid}/task/${t}/children`).trim().split(/\s+/).filter(Boolean).map(Number));
}

/** The guest's PID 1 is the nspawn child that is `systemd` and pid 1 in its own pid namespace. */
export function findLeader(nspawnPid: number): number | undefined {
  for (const c of childrenOf(nspawnPid)) {
    const status = readOr(`/proc/${c}/status`);
    const nspid = /^NSpid:\s+(.+)$/m.exec(status)?.[1]?.trim().split(/\s+/);
    if (readOr(`/proc/${c}/comm`).trim() === 'systemd' && nspid && nspid.length > 1 && nspid[nspid.length - 1] === '1') return c;
  }
  return undefined;
}
