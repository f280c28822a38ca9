import { DEFAULTS } from './defaults.ts';
import { parseHostSpec } from './host-spec.ts';
import type { JumpTarget } from './host-target.ts';
import { resolveSshAlias, type SshAlias, type SshConfigSource } from './ssh-config.ts';

type Resolved = { ok: true; alias: SshAlias & { jump?: JumpTarget } } | { ok: false; reason: string };

/** A ProxyJump value, resolved through ssh_config like `ssh -J` does. One hop is supported. */
async function resolveJump(spec: string, src: SshConfigSource): Promise<{ ok: true; jump: JumpTarget } | { ok: false; reason: string }> {
  if (spec.includes(',')) return { ok: false, reason: `ProxyJump ${spec}: several hops are not supported yet (use one jump host)` };
  const parsed = parseHostSpec(spec.replace(/^ssh:\/\//, ''));
  if (!parsed.ok) return { ok: false, reason: `ProxyJump ${spec}: ${parsed.reason}` };
  const r = await resolveSshAlias(parsed.spec.host, src);
  if (!r.ok) return r;
  if (r.alias.proxyJump) return { ok: false, reason: `ProxyJump ${spec}: the jump host has its own ProxyJump (${r.alias.proxyJump}); chains are not supported yet` };
  return {
    ok: true,
    jump: {
      address: r.alias.hostName ?? parsed.spec.host,
      port: parsed.spec.port ?? r.alias.port ?? DEFAULTS.port,
      user: parsed.spec.user ?? r.alias.user ?? src.localUser,
      identityFiles: r.alias.identityFiles,
    },
  };
}

async function resolveOne(name: string, src: SshConfigSource): Promise<Resolved> {
  const r = await resolveSshAlias(name, src);
  if (!r.ok || !r.alias.proxyJump) return r;
  const j = await resolveJump(r.alias.proxyJump, src);
  return j.ok ? { ok: true, alias: { ...r.alias, jump: j.jump } } : { ok: false, reason: `${name}: ${j.reason}` };
}

/** ssh_config for every host name, as a map for the pure target resolution. */
export async function sshAliasesFor(names: readonly string[], src: SshConfigSource): Promise<{ ok: true; aliases: Map<string, SshAlias & { jump?: JumpTarget }> } | { ok: false; reason: string }> {
  const aliases = new Map<string, SshAlias & { jump?: JumpTarget }>();
  for (const name of new Set(names)) {
    const r = await resolveOne(name, src);
    if (!r.ok) return r;
    aliases.set(name, r.alias);
  }
  return { ok: true, aliases };
}
