import { DEFAULTS, QA_UNIT_FLOORS, STARTUP_LINE_PATTERN } from './defaults.ts';
import { parseHostSpec } from './host-spec.ts';
import type { HostTarget, JumpTarget } from './host-target.ts';
import type { HostSettings, Inventory } from './inventory.ts';
import { checkSpread, shardPlan } from './shard-plan.ts';
import type { SshAlias } from './ssh-config.ts';

export interface TargetFlags {
  hosts: string[];
  identity?: string;
  knownHosts?: string;
  appDir?: string;
  service?: string;
  shards?: number;
  proofTimeoutMs?: number;
  graceMs?: number;
  watchMs?: number;
  warmupMs?: number;
  memoryDays?: number;
  watchCleanupS?: number;
}

export interface ResolveContext {
  home: string;
  /** ssh_config resolved for each address (by `ssh -G`), with ProxyJump already resolved too. */
  aliases: ReadonlyMap<string, SshAlias & { jump?: JumpTarget }>;
}

type Settings = HostSettings & { address?: string; name?: string };

function fromFlags(f: TargetFlags): Settings {
  return {
    identity: f.identity,
    knownHosts: f.knownHosts,
    appDir: f.appDir,
    service: f.service,
    shards: f.shards,
    proofTimeout: f.proofTimeoutMs,
    grace: f.graceMs,
    watch: f.watchMs,
    warmup: f.warmupMs,
    memoryDays: f.memoryDays,
    watchCleanup: f.watchCleanupS,
  };
}

function pick<K extends keyof Settings>(key: K, ...layers: Settings[]): Settings[K] {
  for (const layer of layers) if (layer[key] !== undefined) return layer[key];
  return undefined;
}

function expand(path: string | undefined, home: string): string | undefined {
  return path?.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}

/**
 * Turns an inventory or repeated `--host` flags into resolved targets. Precedence: the host's own
 * entry, then ssh_config for its alias (`ssh -G`), then command-line flags, then inventory defaults,
 * then built-in defaults. Keys: the explicit --identity/inventory key first, then ssh_config's.
 */
export function resolveTargets(
  input: { inventory?: Inventory; flags: TargetFlags },
  ctx: ResolveContext,
): { ok: true; targets: HostTarget[] } | { ok: false; reason: string } {
  const flagLayer = fromFlags(input.flags);
  const entries: Settings[] = [];
  if (input.inventory) {
    entries.push(...input.inventory.hosts);
  } else {
    for (const text of input.flags.hosts) {
      const parsed = parseHostSpec(text);
      if (!parsed.ok) return parsed;
      entries.push({ name: text, address: parsed.spec.host, user: parsed.spec.user, port: parsed.spec.port });
    }
  }
  if (entries.length === 0) return { ok: false, reason: 'no hosts: give --inventory FILE or --host USER@ADDR[:PORT]' };
  const defaults: Settings = input.inventory?.defaults ?? {};
  // ssh_config has no say in shards, so they resolve before the rest: a bad cut fails with nothing resolved.
  const shards = entries.map((entry) => ({ name: entry.name ?? entry.address ?? '', shards: pick('shards', entry, flagLayer, defaults) }));
  const spread = checkSpread(shards);
  if (!spread.ok) return spread;
  const targets = entries.map((entry, i): HostTarget => {
    const alias = ctx.aliases.get(entry.address ?? '') ?? { identityFiles: [] };
    const aliasLayer: Settings = { user: alias.user, port: alias.port };
    const layers = [entry, aliasLayer, flagLayer, defaults];
    const identity = expand(pick('identity', entry, flagLayer, defaults), ctx.home);
    const knownHosts = expand(pick('knownHosts', entry, flagLayer, defaults), ctx.home);
    const knownHostsFiles = knownHosts ? [knownHosts] : (alias.userKnownHostsFiles ?? [`${ctx.home}/.ssh/known_hosts`]);
    return {
      name: entry.name ?? entry.address ?? '',
      address: alias.hostName ?? entry.address ?? '',
      port: pick('port', ...layers) ?? DEFAULTS.port,
      user: pick('user', ...layers) ?? DEFAULTS.user,
      identityFiles: [...new Set([...(identity ? [identity] : []), ...alias.identityFiles])],
      knownHostsFiles,
      knownHostsGiven: knownHosts !== undefined || alias.userKnownHostsFiles !== undefined,
      jump: alias.jump,
      appDir: pick('appDir', ...layers) ?? DEFAULTS.appDir,
      service: pick('service', ...layers) ?? DEFAULTS.service,
      shards: shardPlan(shards[i]?.shards),
      logPattern: pick('logPattern', ...layers) ?? STARTUP_LINE_PATTERN,
      proofTimeoutMs: pick('proofTimeout', ...layers) ?? DEFAULTS.proofTimeoutMs,
      graceMs: pick('grace', ...layers) ?? DEFAULTS.graceMs,
      watchMs: pick('watch', ...layers) ?? DEFAULTS.watchMs,
      warmupMs: pick('warmup', ...layers) ?? DEFAULTS.warmupMs,
      memoryDays: pick('memoryDays', ...layers) ?? DEFAULTS.memoryDays,
      watchCleanupS: pick('watchCleanup', ...layers),
      qaFloors: QA_UNIT_FLOORS,
    };
  });
  return { ok: true, targets };
}
