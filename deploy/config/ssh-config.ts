import { readFile } from 'node:fs/promises';
import SSHConfig from 'ssh-config';
import { describeFailure, runProcess } from '../../app/core/run-process.ts';

/** What deploy takes from ssh_config for one `--host` name. Unset fields fall through to flags and defaults. */
export interface SshAlias {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  userKnownHostsFiles?: string[];
  proxyJump?: string;
}

export interface SshConfigSource {
  /** `--ssh-config F` (like `ssh -F F`); otherwise `~/.ssh/config` when it exists. */
  file: string | undefined;
  home: string;
  /** The local login name, which `ssh -G` reports as User when nothing sets one. */
  localUser: string;
}

const expand = (p: string, home: string) => (p.startsWith('~/') ? `${home}${p.slice(1)}` : p);

/** OpenSSH's unexpanded built-in defaults, which `ssh -G` prints when no IdentityFile is set. */
const isBuiltInIdentity = (p: string) => /^~\/\.ssh\/id_[a-z0-9_]+$/.test(p);
const isBuiltInKnownHosts = (files: string[]) => files.length === 2 && files[0]?.endsWith('/.ssh/known_hosts') === true && files[1]?.endsWith('/.ssh/known_hosts2') === true;

/** Reads `ssh -G` output: OpenSSH applied Host/Match blocks, Include, %-tokens and first-match-wins. */
export function aliasFromSshG(text: string, src: SshConfigSource): SshAlias {
  const all = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(.*)$/.exec(line.trim());
    if (m?.[1] && m[2] !== undefined) all.set(m[1].toLowerCase(), [...(all.get(m[1].toLowerCase()) ?? []), m[2]]);
  }
  const one = (k: string) => all.get(k)?.[0];
  const port = Number(one('port'));
  const user = one('user');
  const known = (one('userknownhostsfile') ?? '').split(/\s+/).filter(Boolean);
  const jump = one('proxyjump');
  return {
    hostName: one('hostname'),
    user: user && user !== src.localUser ? user : undefined,
    port: port && port !== 22 ? port : undefined,
    identityFiles: (all.get('identityfile') ?? []).filter((p) => !isBuiltInIdentity(p)).map((p) => expand(p, src.home)),
    userKnownHostsFiles: known.length && !isBuiltInKnownHosts(known) ? known.map((p) => expand(p, src.home)) : undefined,
    proxyJump: jump && jump !== 'none' ? jump : undefined,
  };
}

/** Without an OpenSSH client: the `ssh-config` package computes the same first-match-wins values. */
export function aliasFromConfigText(text: string, name: string, home: string): { ok: true; alias: SshAlias } | { ok: false; reason: string } {
  if (/^\s*include\s/im.test(text)) return { ok: false, reason: 'ssh_config uses Include, which needs the OpenSSH client (ssh -G): install openssh-client' };
  const c = SSHConfig.parse(text).compute(name);
  const str = (k: string) => (typeof c[k] === 'string' ? c[k] : Array.isArray(c[k]) ? c[k][0] : undefined);
  const list = (k: string) => (Array.isArray(c[k]) ? c[k] : typeof c[k] === 'string' ? c[k].split(/\s+/) : []);
  const port = Number(str('Port'));
  const known = list('UserKnownHostsFile').map((p) => expand(p, home));
  return {
    ok: true,
    alias: {
      hostName: str('HostName')?.replace(/%h/g, name),
      user: str('User'),
      port: port && port !== 22 ? port : undefined,
      identityFiles: list('IdentityFile').map((p) => expand(p, home)),
      userKnownHostsFiles: known.length ? known : undefined,
      proxyJump: str('ProxyJump') === 'none' ? undefined : str('ProxyJump'),
    },
  };
}

/** Resolves `name` as `ssh name` would: `ssh -G` when OpenSSH is installed, else the parser above. */
export async function resolveSshAlias(name: string, src: SshConfigSource): Promise<{ ok: true; alias: SshAlias } | { ok: false; reason: string }> {
  const r = await runProcess(['ssh', '-G', ...(src.file ? ['-F', src.file] : []), '--', name], { timeoutMs: 10_000 });
  if (r.code === 0) return { ok: true, alias: aliasFromSshG(r.stdout, src) };
  // Never started: no OpenSSH client on this machine, so the parser below stands in.
  if (r.code !== null || r.timedOut) {
    const why = r.stderr.trim().split('\n').filter((l) => !/Pseudo-terminal/.test(l)).at(-1) ?? describeFailure(r);
    return { ok: false, reason: `ssh config${src.file ? ` ${src.file}` : ''}: ${why}` };
  }
  const text = src.file ? await readFile(src.file, 'utf8').catch(() => undefined) : '';
  if (text === undefined) return { ok: false, reason: `--ssh-config ${src.file}: no such file` };
  return aliasFromConfigText(text, name, src.home);
}
