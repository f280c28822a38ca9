import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { parseDuration } from '../config/duration.ts';
import type { HostTarget } from '../config/host-target.ts';
import { loadInventory } from '../config/load-inventory.ts';
import { resolveTargets } from '../config/resolve-targets.ts';
import { connectSsh, type RemoteShell } from '../remote/ssh-session.ts';

/** A usage/config error: the CLI edge prints it and exits 2. */
export class UsageError extends Error {}

export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option('--inventory <file>', 'inventory YAML or TS')
    .option('--host <user@addr[:port]>', 'a host (repeatable; IPv6 as [::1]:22; ~/.ssh/config aliases work)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--identity <key>', 'private key file')
    .option('--passphrase-env <VAR>', 'environment variable holding the key passphrase')
    .option('--known-hosts <file>', 'known_hosts file with the pinned host keys')
    .option('--accept-new-host-key', 'pin the key of a host never seen before (never a changed one)')
    .option('--app-dir <dir>', 'app directory on the host')
    .option('--service <name>', 'systemd unit name')
    .option('--break-stale-lock', 'remove a lock whose heartbeat is past its TTL')
    .option('--json', 'print the evidence JSON on stdout');
}

export interface TargetCliOptions {
  inventory?: string;
  host: string[];
  identity?: string;
  passphraseEnv?: string;
  knownHosts?: string;
  acceptNewHostKey?: boolean;
  appDir?: string;
  service?: string;
  proofTimeout?: string;
  grace?: string;
  watch?: string;
  warmup?: string;
  memoryBudget?: string;
}

const dur = (v: string | undefined, field: string): number | undefined => {
  if (v === undefined) return undefined;
  const d = parseDuration(v, field);
  if (!d.ok) throw new UsageError(d.reason);
  return d.ms;
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
  const sshConfigText = await readFile(`${home}/.ssh/config`, 'utf8').catch(() => '');
  const res = resolveTargets(
    {
      inventory,
      flags: {
        hosts: o.host,
        identity: o.identity,
        knownHosts: o.knownHosts,
        appDir: o.appDir,
        service: o.service,
        proofTimeoutMs: dur(o.proofTimeout, '--proof-timeout'),
        graceMs: dur(o.grace, '--grace'),
        watchMs: dur(o.watch, '--watch'),
        warmupMs: dur(o.warmup, '--warmup'),
        memoryBudgetMbPerMin: budget(o.memoryBudget),
      },
    },
    { home, sshConfigText },
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

export async function connectTarget(t: HostTarget, o: TargetCliOptions): Promise<{ ok: true; shell: RemoteShell } | { ok: false; reason: string }> {
  return connectSsh({
    address: t.address,
    port: t.port,
    user: t.user,
    identityFile: t.identityFile,
    passphrase: passphraseFrom(o),
    knownHostsFile: t.knownHostsFile,
    acceptNewHostKey: o.acceptNewHostKey === true,
  });
}

/** `r20261126T233000Z-<8 hex of the shipped set>`: sortable, unique per second and content. */
export function releaseIdOf(date: Date, sha: string): string {
  return `r${date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '')}-${(sha || '00000000').slice(0, 8)}`;
}
