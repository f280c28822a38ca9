import { runCommand } from './run-command.ts';
import type { CommandResult, RunOptions } from './run-command.ts';

/** A clean env, so the test runner's variables (CI, NODE_OPTIONS...) never leak into the guest. */
const GUEST_ENV = ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'HOME=/root', 'LANG=C.UTF-8'];

/**
 * Runs as root inside every namespace of the guest (mount, pid, net, uts, ipc, cgroup). A string runs
 * through /bin/sh -c; an array runs as argv with no shell, which is the safe form for odd paths.
 */
export function guestExec(leaderPid: number, cmd: string | string[], options: RunOptions = {}): Promise<CommandResult> {
  const argv = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : cmd;
  return runCommand(['nsenter', '-t', String(leaderPid), '-a', '/usr/bin/env', '-i', ...GUEST_ENV, ...argv], options);
}
