import { DEFAULTS, STARTUP_LINE_PATTERN } from './defaults.ts';
import { parseHostSpec } from './host-spec.ts';
import type { HostTarget } from './host-target.ts';
import type { HostSettings, Inventory } from './inventory.ts';
import { resolveSshAlias } from './ssh-config.ts';

export interface TargetFlags {
  hosts: string[];
  identity?: string;
  knownHosts?: string;
  appDir?: string;
  service?: string;
  proofTimeoutMs?: number;
  graceMs?: number;
  watchMs?: number;
  warmupMs?: number;
  memoryBudgetMbPerMin?: number;
}

export interface ResolveContext {
  home: string;
  sshConfigText: string;
}

type Settings = HostSettings & { address?: string; name?: string };

function fromFlags(f: TargetFlags): Settings {
  return {
    identity: f.identity,
    knownHosts: f.knownHosts,
    appDir: f.appDir,
    service: f.service,
    proofTimeout: f.proofTimeoutMs,
    grace: f.graceMs,
    watch: f.watchMs,
    warmup: f.warmupMs,
    memoryBudgetMbPerMin: f.memoryBudgetMbPerMin,
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
 * entry, then `~/.ssh/config` for its alias, then command-line flags, then inventory defaults, then
 * built-in defaults.
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
  const targets = entries.map((entry): HostTarget => {
    const alias = resolveSshAlias(ctx.sshConfigText, entry.address ?? '', ctx.home);
    const aliasLayer: Settings = { user: alias.user, port: alias.port, identity: alias.identityFile, knownHosts: alias.userKnownHostsFile };
    const layers = [entry, aliasLayer, flagLayer, defaults];
    return {
      name: entry.name ?? entry.address ?? '',
      address: alias.hostName ?? entry.address ?? '',
      port: pick('port', ...layers) ?? DEFAULTS.port,
      user: pick('user', ...layers) ?? DEFAULTS.user,
      identityFile: expand(pick('identity', ...layers), ctx.home),
      knownHostsFile: expand(pick('knownHosts', ...layers), ctx.home) ?? `${ctx.home}/.ssh/known_hosts`,
      appDir: pick('appDir', ...layers) ?? DEFAULTS.appDir,
      service: pick('service', ...layers) ?? DEFAULTS.service,
      files: pick('files', ...layers),
      logPattern: pick('logPattern', ...layers) ?? STARTUP_LINE_PATTERN,
      proofTimeoutMs: pick('proofTimeout', ...layers) ?? DEFAULTS.proofTimeoutMs,
      graceMs: pick('grace', ...layers) ?? DEFAULTS.graceMs,
      watchMs: pick('watch', ...layers) ?? DEFAULTS.watchMs,
      warmupMs: pick('warmup', ...layers) ?? DEFAULTS.warmupMs,
      memoryBudgetMbPerMin: pick('memoryBudgetMbPerMin', ...layers) ?? DEFAULTS.memoryBudgetMbPerMin,
    };
  });
  return { ok: true, targets };
}
