import net from 'node:net';
import type { CommandResult } from './run-command.ts';
import { guestExec } from './guest-exec.ts';

export interface SystemState {
  ok: boolean;
  state: string;
  reason: string;
  failedUnits: string[];
}

/**
 * `is-system-running --wait` can fail while the guest's manager is still coming up (no bus yet), so it
 * is retried until the deadline. Degraded is accepted: the failed units are reported for the test to see.
 */
export async function waitForSystem(leaderPid: number, deadline: number): Promise<SystemState> {
  let last = '';
  for (let attempt = 0; attempt < 400 && Date.now() < deadline; attempt++) {
    const r = await guestExec(leaderPid, ['systemctl', 'is-system-running', '--wait'], { timeoutMs: Math.max(100, deadline - Date.now()) });
    const state = r.stdout.trim();
    if (state === 'running' || state === 'degraded') {
      const failed = await guestExec(leaderPid, ['systemctl', 'list-units', '--failed', '--plain', '--no-legend'], { timeoutMs: 5_000 });
      const failedUnits = failed.stdout.split('\n').map((l) => l.trim().split(/\s+/)[0] ?? '').filter(Boolean);
      return { ok: true, state, reason: '', failedUnits };
    }
    last = `${state || '(no state)'} ${r.stderr.trim()}`.trim();
    await new Promise((res) => setTimeout(res, 50));
  }
  return { ok: false, state: last, reason: `last answer: ${last}`, failedUnits: [] };
}

/** Bounded TCP probe of the guest's sshd, only ever to a 10.200.N.2 address the harness created. */
export async function waitForTcp(host: string, port: number, deadline: number): Promise<void> {
  for (let attempt = 0; attempt < 400 && Date.now() < deadline; attempt++) {
    if (await canConnect(host, port, Math.max(50, Math.min(1_000, deadline - Date.now())))) return;
    await new Promise((res) => setTimeout(res, 25));
  }
  throw new Error(`${host}:${port} did not accept a TCP connection before the deadline`);
}

export function canConnect(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean): void => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

interface LoginTarget {
  name: string;
  user: string;
  ssh(remoteCommand: string): Promise<CommandResult>;
  exec(argv: string[]): Promise<CommandResult>;
}

/**
 * The guest is handed out only once its user logs in over real ssh: sshd accepting TCP is not enough
 * (CI saw a guest whose sshd refused the user's account for seconds after boot). A guest that never lets
 * the user in fails with what it says about logins, so the log names the cause.
 */
export async function waitForLogin(vps: LoginTarget, deadline: number): Promise<void> {
  const until = Math.max(deadline, Date.now() + 10_000);
  let last = '';
  for (let attempt = 0; attempt < 40 && Date.now() < until; attempt++) {
    const r = await vps.ssh('true');
    if (r.code === 0) return;
    last = r.stderr.trim() || `exit ${String(r.code)}`;
    await new Promise((res) => setTimeout(res, 250));
  }
  const facts = await Promise.all(
    [['sh', '-c', 'ls -l /run/nologin /etc/nologin 2>&1; systemctl is-system-running'], ['chage', '-l', vps.user], ['journalctl', '-u', 'ssh', '-n', '8', '--no-pager', '-o', 'short-precise']].map(async (argv) => `$ ${argv.join(' ')}\n${(await vps.exec(argv)).stdout}`),
  );
  throw new Error(`guest ${vps.name}: ${vps.user} cannot log in over ssh (last: ${last})\n${facts.join('\n')}`);
}
