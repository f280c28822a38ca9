import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { parseDuration } from '../../app/core/duration.ts';
import { parseHostSpec } from '../config/host-spec.ts';
import { proofTimeoutSchema } from '../config/inventory.ts';
import type { HostTarget } from '../config/host-target.ts';
import { loadInventory } from '../config/load-inventory.ts';
import { localUserName } from '../config/local-user.ts';
import { resolveTargets } from '../config/resolve-targets.ts';
import { sshAliasesFor } from '../config/ssh-aliases.ts';
import { checkAppDir } from '../remote/app-dir-check.ts';
import { connectFailure, type ConnectFailure } from '../remote/connect-failure.ts';
import { defaultIdentityFiles, loadIdentities } from '../remote/identities.ts';
import { connectSsh, type ConnectOptions } from '../remote/ssh-connect.ts';
import type { RemoteShell } from '../remote/ssh-session.ts';

/** A usage/config error: the CLI edge prints it and exits 2. */
export class UsageError extends Error {}

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--inventory <file>', 'inventory YAML or TS')
    .option('--host <user@addr[:port]>', 'a host (repeatable; IPv6 as [::1]:22; ssh_config aliases resolve through `ssh -G`)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--ssh-config <file>', 'ssh_config to resolve host aliases with, like `ssh -F` (default ~/.ssh/config)')
    .option('--identity <key>', 'private key file, offered after the ssh-agent and before the default ~/.ssh/id_* keys')
    .option('--passphrase-env <VAR>', 'environment variable holding the key passphrase')
    .option('--known-hosts <file>', 'known_hosts file with the pinned host keys')
    .option('--connect-timeout <dur>', 'give up on a host that does not answer (TCP or SSH banner) within this (default 10s)')
    .option('--accept-new-host-key', 'pin the key of a host never seen before (never a changed one)')
    .option('--app-dir <dir>', 'app directory on the host')
    .option('--service <name>', 'systemd unit name')
    .option('--shards <n>', 'run N shards on each host: instances 0..N-1 of the template unit <service>@.service (a cut over hosts is an inventory setting)')
    .option('--break-stale-lock', 'remove a lock whose heartbeat is past its TTL')
    .option('--json', 'print the evidence JSON on stdout');
}

export interface TargetCliOptions {
  inventory?: string;
  host: string[];
  sshConfig?: string;
  connectTimeout?: string;
  identity?: string;
  passphraseEnv?: string;
  knownHosts?: string;
  acceptNewHostKey?: boolean;
  appDir?: string;
  service?: string;
  shards?: string;
  proofTimeout?: string;
  grace?: string;
  watch?: string;
  warmup?: string;
  memoryBudget?: string;
}

/** `--proof-timeout`, held to the inventory's rule: the flag and the field fail with the same reason. */
const proofTimeoutFlag = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const r = proofTimeoutSchema.safeParse(v);
  if (!r.success) throw new UsageError(`--proof-timeout: ${r.error.issues.map((i) => i.message).join('; ')}`);
  return r.data;
};

const dur = (v: string | undefined, field: string): number | undefined => {
  if (v === undefined) return undefined;
  const d = parseDuration(v, field);
  if (!d.ok) throw new UsageError(d.reason);
  return d.ms;
};

const shardCount = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--shards: "${v}" is not a whole number from 1 to 64`);
  return n;
};

const budget = (v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--memory-budget: "${v}" is not a positive number of MB/min`);
  return n;
};

export async function targetsFrom(o: TargetCliOptions): Promise<HostTarget[]> {
  if (o.inventory && o.host.length) throw new UsageError('give --inventory or --host, not both');
  let inventory;
  if (o.inventory) {
    const inv = await loadInventory(o.inventory);
    if (!inv.ok) throw new UsageError(inv.reason);
    inventory = inv.inventory;
  }
  const home = homedir();
  if (o.sshConfig && !existsSync(o.sshConfig)) throw new UsageError(`--ssh-config ${o.sshConfig}: no such file`);
  const file = o.sshConfig ?? (existsSync(`${home}/.ssh/config`) ? `${home}/.ssh/config` : undefined);
  const names = inventory ? inventory.hosts.map((h) => h.address) : o.host.flatMap((h) => { const p = parseHostSpec(h); return p.ok ? [p.spec.host] : []; });
  const aliases = await sshAliasesFor(names, { file, home, localUser: localUserName() });
  if (!aliases.ok) throw new UsageError(aliases.reason);
  const res = resolveTargets(
    {
      inventory,
      flags: {
        hosts: o.host,
        identity: o.identity,
        knownHosts: o.knownHosts,
        appDir: o.appDir,
        service: o.service,
        shards: shardCount(o.shards),
        proofTimeoutMs: proofTimeoutFlag(o.proofTimeout),
        graceMs: dur(o.grace, '--grace'),
        watchMs: dur(o.watch, '--watch'),
        warmupMs: dur(o.warmup, '--warmup'),
        memoryBudgetMbPerMin: budget(o.memoryBudget),
      },
    },
    { home, aliases: aliases.aliases },
  );
  if (!res.ok) throw new UsageError(res.reason);
  return res.targets;
}

export function passphraseFrom(o: TargetCliOptions): string | undefined {
  if (!o.passphraseEnv) return undefined;
  const v = process.env[o.passphraseEnv];
  if (v === undefined) throw new UsageError(`--passphrase-env ${o.passphraseEnv}: variable is not set`);
  return v;
}

async function connectOptions(t: Pick<HostTarget, 'address' | 'port' | 'user' | 'identityFiles'>, knownHostsFiles: string[], o: TargetCliOptions): Promise<ConnectOptions | ConnectFailure> {
  const passphrase = passphraseFrom(o);
  const ids = await loadIdentities(t.identityFiles, defaultIdentityFiles(homedir()), passphrase);
  if (!ids.ok) return ids;
  return {
    address: t.address,
    port: t.port,
    user: t.user,
    identities: ids.identities,
    passphrase,
    agent: process.env.SSH_AUTH_SOCK || undefined,
    knownHostsFiles,
    acceptNewHostKey: o.acceptNewHostKey === true,
    connectTimeoutMs: dur(o.connectTimeout, '--connect-timeout'),
  };
}

/** Connects to a target (through its ProxyJump, if any); every failure is one line of its own kind. */
export async function connectTarget(t: HostTarget, o: TargetCliOptions): Promise<{ ok: true; shell: RemoteShell } | ConnectFailure> {
  if (t.knownHostsGiven && !t.knownHostsFiles.some((f) => existsSync(f)) && !o.acceptNewHostKey) {
    return connectFailure('known-hosts', `known_hosts ${t.knownHostsFiles.join(', ')}: no such file (mistyped --known-hosts?)`);
  }
  const opts = await connectOptions(t, t.knownHostsFiles, o);
  if (!('address' in opts)) return opts;
  if (t.jump) {
    const jump = await connectOptions(t.jump, t.knownHostsFiles, o);
    if (!('address' in jump)) return jump;
    opts.jump = jump;
  }
  return connectSsh(opts);
}

/** The command that prepares a host, for "not set up" messages. */
export const setupHint = (t: HostTarget) => {
  const host = t.address.includes(':') ? `[${t.address}]` : t.address;
  return `npm run deploy -- setup --host ${t.user}@${host}${t.port === 22 ? '' : `:${t.port}`} --exchange <bybit|sim>${t.appDir ? ` --app-dir ${t.appDir}` : ''}`;
};

/** Connects and checks that the host was set up and `--app-dir` is its app dir. */
export async function openTarget(t: HostTarget, o: TargetCliOptions): Promise<{ ok: true; shell: RemoteShell } | { ok: false; reason: string }> {
  const c = await connectTarget(t, o);
  if (!c.ok) return c;
  const ready = await checkAppDir(c.shell, t.appDir, setupHint(t));
  if (ready.ok) return c;
  c.shell.close();
  return { ok: false, reason: `${t.name}: ${ready.reason}` };
}

/** `r20261126T233000Z-<8 hex of the shipped set>`: sortable, unique per second and content. */
export function releaseIdOf(date: Date, sha: string): string {
  return `r${date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}-${(sha || '00000000').slice(0, 8)}`;
}
