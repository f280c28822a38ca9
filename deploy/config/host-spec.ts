export interface HostSpec {
  user: string | undefined;
  host: string;
  port: number | undefined;
}

/**
 * Parses `user@addr[:port]`. IPv6 needs brackets when a port follows (`[::1]:22`); a bare IPv6
 * address without brackets is accepted only without a port, since its colons are ambiguous.
 */
export function parseHostSpec(text: string): { ok: true; spec: HostSpec } | { ok: false; reason: string } {
  const at = text.lastIndexOf('@');
  const user = at >= 0 ? text.slice(0, at) : undefined;
  const rest = at >= 0 ? text.slice(at + 1) : text;
  if (user !== undefined && !/^[a-z_][a-z0-9_.-]*$/i.test(user)) {
    return { ok: false, reason: `--host "${text}": user "${user}" is not a valid login name` };
  }
  let host: string;
  let portText: string | undefined;
  const bracket = /^\[([0-9a-fA-F:.%a-zA-Z]+)\](?::(.*))?$/.exec(rest);
  if (bracket) {
    host = bracket[1] ?? '';
    portText = bracket[2];
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    host = rest;
  } else {
    const colon = rest.indexOf(':');
    host = colon >= 0 ? rest.slice(0, colon) : rest;
    portText = colon >= 0 ? rest.slice(colon + 1) : undefined;
  }
  if (!host || !/^[A-Za-z0-9.:%_-]+$/.test(host)) return { ok: false, reason: `--host "${text}": address is empty or invalid` };
  let port: number | undefined;
  if (portText !== undefined) {
    port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      return { ok: false, reason: `--host "${text}": port "${portText}" is not in 1..65535` };
    }
  }
  return { ok: true, spec: { user, host, port } };
}

/** The known_hosts name of a host: `addr` on port 22, `[addr]:port` otherwise (OpenSSH's rule). */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}
