import { guestExec } from './guest-exec.ts';
import { describeFailure, runCommand } from './run-command.ts';
import { teardownVps } from './vps-teardown.ts';
import { readOwner } from './vps-claim.ts';
import type { CommandResult, RunOptions } from './run-command.ts';
import { fingerprintOf } from './guest-provision.ts';
import type { Provisioned } from './guest-provision.ts';
import type { TeardownOptions, TeardownResult } from './vps-teardown.ts';
import type { VpsLayout } from './vps-layout.ts';

export interface JournalQuery {
  unit?: string;
  /** Only entries after this cursor (exclusive), as deploy's log proof does. */
  afterCursor?: string;
  /** journalctl --grep (PCRE2). */
  grep?: string;
  lines?: number;
  /** Read as the ssh user (proves the systemd-journal membership) rather than as root. */
  asUser?: boolean;
}

export interface JournalEntry {
  message: string;
  cursor: string;
  realtimeUs: number;
  unit?: string;
  invocationId?: string;
  pid?: number;
}

export interface Vps {
  index: number;
  name: string;
  ip: string;
  hostIp: string;
  sshPort: 22;
  user: string;
  appDir: string;
  unit: string;
  revertTimer: string;
  identityFile: string;
  knownHostsFile: string;
  /** The line pinned at boot; changeHostKey() makes the guest present another one. */
  knownHostsLine: string;
  /** `ssh-ed25519 AAAA...` */
  hostKey: string;
  /** `SHA256:...`, as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  leaderPid: number;
  nspawnPid: number;
  netns: string;
  hostVeth: string;
  guestIf: string;
  /** Host path of the guest's merged root (not of mounts made inside the guest). */
  rootDir: string;
  bootMs: number;
  failedUnits: string[];
  /** Root inside the guest, for test setup and assertions only. */
  exec(cmd: string | string[], options?: RunOptions): Promise<CommandResult>;
  /** exec, but a non-zero exit throws with the evidence; returns stdout. */
  execOk(cmd: string | string[], options?: RunOptions): Promise<string>;
  /** The real OpenSSH client as the user, with the pinned host key and StrictHostKeyChecking=yes. */
  ssh(remoteCommand: string, options?: RunOptions & SshArgOptions): Promise<CommandResult>;
  /** `ssh ... user@ip` (no remote command), for spawning a session yourself. */
  sshArgs(options?: SshArgOptions): string[];
  journal(query?: JournalQuery): Promise<JournalEntry[]>;
  /** sha256 hex of a file in the guest, or undefined when it does not exist. */
  fileSha256(guestPath: string): Promise<string | undefined>;
  stop(options?: TeardownOptions): Promise<TeardownResult>;
}

export interface SshArgOptions {
  knownHostsFile?: string;
  /** Extra `-o Key=Value` pairs; they come first, so they win over the defaults (ssh keeps the first value). */
  options?: string[];
}

export interface HandleParts {
  layout: VpsLayout;
  prov: Provisioned;
  user: string;
  appDir: string;
  unit: string;
  revertTimer: string;
  nspawnPid: number;
  leaderPid: number;
  bootMs: number;
  failedUnits: string[];
}

export function makeVpsHandle(p: HandleParts): Vps {
  const { layout: l, prov } = p;
  const exec = (cmd: string | string[], options?: RunOptions): Promise<CommandResult> => guestExec(p.leaderPid, cmd, options);
  const execOk = async (cmd: string | string[], options?: RunOptions): Promise<string> => {
    const r = await exec(cmd, options);
    if (r.code !== 0) throw new Error(`in guest ${l.name}: ${describeFailure(r)}`);
    return r.stdout;
  };
  const sshArgs = ({ knownHostsFile = prov.knownHostsFile, options = [] }: SshArgOptions = {}): string[] => [
    'ssh', '-F', '/dev/null', ...options.flatMap((o) => ['-o', o]), '-i', prov.identityFile, '-p', '22',
    '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes',
    '-o', `UserKnownHostsFile=${knownHostsFile}`, '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'ConnectTimeout=5', '-o', 'ServerAliveInterval=2', '-o', 'ServerAliveCountMax=3', '-o', 'LogLevel=ERROR',
    `${p.user}@${l.guestIp}`,
  ];
  let stopped: Promise<TeardownResult> | undefined;
  return {
    index: l.index,
    name: l.name,
    ip: l.guestIp,
    hostIp: l.hostIp,
    sshPort: 22,
    user: p.user,
    appDir: p.appDir,
    unit: p.unit,
    revertTimer: p.revertTimer,
    identityFile: prov.identityFile,
    knownHostsFile: prov.knownHostsFile,
    knownHostsLine: prov.knownHostsLine,
    hostKey: prov.hostKey,
    hostKeyFingerprint: fingerprintOf(prov.hostKey),
    leaderPid: p.leaderPid,
    nspawnPid: p.nspawnPid,
    netns: l.name,
    hostVeth: l.hostVeth,
    guestIf: l.guestIf,
    rootDir: l.rootDir,
    bootMs: p.bootMs,
    failedUnits: p.failedUnits,
    exec,
    execOk,
    sshArgs,
    ssh: (remoteCommand, options = {}) => runCommand([...sshArgs(options), '--', remoteCommand], { timeoutMs: 20_000, ...options }),
    journal: (query = {}) => readJournal(exec, p.user, query),
    fileSha256: async (guestPath) => {
      const r = await exec(['sha256sum', '--', guestPath], { timeoutMs: 10_000 });
      if (r.code === 0) return /[0-9a-f]{64}/.exec(r.stdout)?.[0];
      if (/No such file/.test(r.stderr)) return undefined;
      throw new Error(`fileSha256 ${guestPath} in ${l.name}: ${describeFailure(r)}`);
    },
    // Idempotent, so afterAll and a test's own stop() can both call it.
    stop: (options) => (stopped ??= stopIfStillOurs(p, options)),
  };
}

/** After a sweep the index may belong to another VPS already: never tear down what is not ours. */
async function stopIfStillOurs(p: HandleParts, options?: TeardownOptions): Promise<TeardownResult> {
  const owner = await readOwner(p.layout);
  if (owner?.nspawnPid !== p.nspawnPid) return { ok: true, stoppedBy: 'already-gone', durationMs: 0, leftovers: [] };
  return teardownVps(p.layout, owner, options);
}

async function readJournal(exec: Vps['exec'], user: string, q: JournalQuery): Promise<JournalEntry[]> {
  const args = ['journalctl', '--no-pager', '-o', 'json'];
  if (q.unit) args.push('-u', q.unit);
  if (q.afterCursor) args.push(`--after-cursor=${q.afterCursor}`);
  if (q.grep) args.push('--grep', q.grep);
  if (q.lines !== undefined) args.push('-n', String(q.lines));
  const argv = q.asUser ? ['runuser', '-u', user, '--', ...args] : args;
  const r = await exec(argv, { timeoutMs: 15_000 });
  // journalctl exits 1 when --grep matches nothing: that is an empty answer, not a failure.
  if (r.code !== 0 && !(q.grep && r.stdout === '' && r.stderr === '')) throw new Error(`journal: ${describeFailure(r)}`);
  return r.stdout.split('\n').filter(Boolean).map(parseEntry);
}

function parseEntry(line: string): JournalEntry {
  const j = JSON.parse(line) as Record<string, unknown>;
  const text = (v: unknown): string | undefined =>
    typeof v === 'string' ? v : Array.isArray(v) ? Buffer.from(v as number[]).toString('utf8') : undefined;
  const entry: JournalEntry = {
    message: text(j.MESSAGE) ?? '',
    cursor: String(j.__CURSOR),
    realtimeUs: Number(j.__REALTIME_TIMESTAMP),
  };
  const unit = text(j._SYSTEMD_UNIT);
  const inv = text(j._SYSTEMD_INVOCATION_ID) ?? text(j.INVOCATION_ID);
  const pid = text(j._PID);
  if (unit !== undefined) entry.unit = unit;
  if (inv !== undefined) entry.invocationId = inv;
  if (pid !== undefined) entry.pid = Number(pid);
  return entry;
}
