export interface SshAlias {
  hostName?: string;
  user?: string;
  port?: number;
  identityFile?: string;
  userKnownHostsFile?: string;
}

function globToRegex(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

function expandHome(path: string, home: string): string {
  return path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}

/**
 * Resolves an alias the way `ssh vps` would, for the keys deploy uses. First match of each key wins,
 * as in OpenSSH; `!pattern` negation is honoured; Match/Include blocks are ignored.
 */
export function resolveSshAlias(configText: string, alias: string, home: string): SshAlias {
  const out: SshAlias = {};
  let active = false;
  for (const raw of configText.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s*(?:=\s*|\s+)(.+)$/.exec(line);
    if (!m) continue;
    const key = (m[1] ?? '').toLowerCase();
    const value = (m[2] ?? '').trim().replace(/^"(.*)"$/, '$1');
    if (key === 'host') {
      const patterns = value.split(/\s+/);
      const negated = patterns.some((p) => p.startsWith('!') && globToRegex(p.slice(1)).test(alias));
      active = !negated && patterns.some((p) => !p.startsWith('!') && globToRegex(p).test(alias));
      continue;
    }
    if (key === 'match') {
      active = false;
      continue;
    }
    if (!active) continue;
    if (key === 'hostname' && out.hostName === undefined) out.hostName = value.replace(/%h/g, alias);
    else if (key === 'user' && out.user === undefined) out.user = value;
    else if (key === 'port' && out.port === undefined) out.port = Number(value);
    else if (key === 'identityfile' && out.identityFile === undefined) out.identityFile = expandHome(value, home);
    else if (key === 'userknownhostsfile' && out.userKnownHostsFile === undefined) {
      out.userKnownHostsFile = expandHome(value.split(/\s+/)[0] ?? value, home);
    }
  }
  return out;
}
