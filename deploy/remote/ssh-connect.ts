import { createHash } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { NodeSSH } from 'node-ssh';
import { expBackoff, retry } from 'zx';
import { knownHostsName } from '../config/host-spec.ts';
import { connectFailure, socketFailure, type ConnectFailure } from './connect-failure.ts';
import type { Identity } from './identities.ts';
import { hostKeyAlgorithms, hostKeyVerdict, keyTypeOf, knownHostsLine, pinnedKeys, type HostKeyVerdict } from './known-hosts.ts';
import { shellOf, type RemoteShell } from './ssh-session.ts';

export interface ConnectOptions {
  address: string;
  port: number;
  user: string;
  /** Offered after the agent, in this order (explicit keys, then the default `~/.ssh/id_*`). */
  identities: Identity[];
  passphrase: string | undefined;
  /** SSH_AUTH_SOCK; tried first when set. */
  agent: string | undefined;
  /** Searched in order; an accepted new key is appended to the first. */
  knownHostsFiles: string[];
  acceptNewHostKey: boolean;
  connectTimeoutMs?: number;
  /** Tries for a handshake the server cut short (default 3), as OpenSSH's ConnectionAttempts. */
  attempts?: number;
  /** ProxyJump: reach this host through a connection to the jump host. */
  jump?: ConnectOptions;
}


const fingerprint = (blob: Buffer) => `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

function openTcp(where: string, address: string, port: number, timeoutMs: number): Promise<{ ok: true; sock: Socket } | ConnectFailure> {
  return new Promise((res) => {
    const sock = tcpConnect({ host: address, port });
    const timer = setTimeout(() => {
      sock.destroy();
      res(connectFailure('timeout', `${where}: TCP connect timed out after ${timeoutMs} ms (host down or port filtered)`));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      res({ ok: true, sock });
    });
    sock.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      res(socketFailure(where, err));
    });
  });
}

/** A channel to `address:port` opened by the jump host (what `ssh -J` does). */
async function openThroughJump(where: string, o: ConnectOptions, jump: ConnectOptions): Promise<{ ok: true; sock: Duplex; close: () => void } | ConnectFailure> {
  const j = await openSsh(jump);
  if (!j.ok) return { ...j, reason: `ProxyJump ${jump.user}@${jump.address}:${jump.port}: ${j.reason}` };
  const close = () => {
    j.ssh.dispose();
    j.closeJump();
  };
  const stream = await new Promise<{ ok: true; stream: Duplex } | { ok: false; reason: string }>((res) => {
    if (!j.ssh.connection) return res({ ok: false, reason: 'jump connection closed' });
    j.ssh.connection.forwardOut('127.0.0.1', 0, o.address, o.port, (err, ch) => res(err ? { ok: false, reason: err.message } : { ok: true, stream: ch }));
  });
  if (!stream.ok) {
    close();
    return connectFailure(/refused/i.test(stream.reason) ? 'refused' : 'ssh', `${where}: the jump host could not reach it: ${stream.reason}`);
  }
  return { ok: true, sock: stream.stream, close };
}

function hostKeyFailure(verdict: HostKeyVerdict, khName: string, blob: Buffer, files: string[]): ConnectFailure {
  const offered = `${keyTypeOf(blob)} ${fingerprint(blob)}`;
  if (verdict === 'unknown') {
    return connectFailure('unknown-host-key', `${khName}: unknown host key ${offered} (not in ${files.join(', ')}): compare this fingerprint with the one the host's admin sees (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub), then pin it with --accept-new-host-key once`);
  }
  return connectFailure(
    'changed-host-key',
    `${khName}: host key ${verdict === 'revoked' ? 'is REVOKED' : 'CHANGED'}: the server offered ${offered}, ${files[0]} pins another; refusing (possible man-in-the-middle; if the host was rebuilt, confirm the new fingerprint with its admin, then ssh-keygen -R '${khName}')`,
  );
}

/**
 * A server that hangs up mid-handshake is often just busy (MaxStartups, a loaded VPS), and one that
 * refuses the account right after a boot lets it in a second later: both are worth a retry.
 */
const TRANSIENT: ReadonlySet<ConnectFailure['kind']> = new Set(['closed', 'account']);

class CutShort extends Error {
  constructor(readonly failure: ConnectFailure) {
    super(failure.reason);
  }
}

/**
 * Opens an SSH connection and says exactly what went wrong when it cannot: each step that can fail
 * (name, TCP, banner, host key, keys, auth) has its own kind, so the CLI prints one true line. Only a
 * handshake or login the server cut short is tried again; every other failure is final at once.
 */
export async function connectSsh(o: ConnectOptions): Promise<{ ok: true; shell: RemoteShell } | ConnectFailure> {
  const attempts = o.attempts ?? 3;
  try {
    return await retry(attempts, expBackoff('4s', '1s'), async () => {
      const r = await connectOnce(o);
      if (!r.ok && TRANSIENT.has(r.kind)) throw new CutShort(r);
      return r;
    });
  } catch (e) {
    if (!(e instanceof CutShort)) throw e;
    return { ...e.failure, reason: `${e.failure.reason} (${attempts} attempts)` };
  }
}

async function connectOnce(o: ConnectOptions): Promise<{ ok: true; shell: RemoteShell } | ConnectFailure> {
  const opened = await openSsh(o);
  if (!opened.ok) return opened;
  const made = shellOf(opened.ssh, opened.hostKey, opened.closeJump);
  if (made.ok) return made;
  opened.ssh.dispose();
  opened.closeJump();
  return connectFailure('ssh', `${o.address}:${o.port}: ${made.reason}`);
}

interface Opened {
  ok: true;
  ssh: NodeSSH;
  hostKey: RemoteShell['hostKey'];
  closeJump: () => void;
}

async function openSsh(o: ConnectOptions): Promise<Opened | ConnectFailure> {
  const where = `${o.address}:${o.port}`;
  const timeoutMs = o.connectTimeoutMs ?? 10_000;
  const khName = knownHostsName(o.address, o.port);
  const pinned = await pinnedKeys(o.knownHostsFiles, khName);
  const opened = o.jump ? await openThroughJump(where, o, o.jump) : await openTcp(where, o.address, o.port, timeoutMs);
  if (!opened.ok) return opened;
  const closeJump = 'close' in opened ? opened.close : () => undefined;
  let banner = '';
  const onData = (b: Buffer) => {
    banner += b.toString('latin1');
    if (banner.includes('SSH-') || banner.length > 8192) opened.sock.off('data', onData);
  };
  opened.sock.on('data', onData);
  // node-ssh reports a server's hang-up as "No response from server", which reads like a timeout.
  let hungUp = false;
  opened.sock.once('end', () => (hungUp = true));
  const hostKey = { verdict: 'unknown' as HostKeyVerdict, accepted: false };
  let presented: Buffer | undefined;
  const authHandler = [
    ...(o.agent ? [{ type: 'agent' as const, username: o.user, agent: o.agent }] : []),
    ...o.identities.map((id) => ({ type: 'publickey' as const, username: o.user, key: id.text, passphrase: o.passphrase })),
  ];
  const tried = [...(o.agent ? ['the agent'] : []), ...o.identities.map((i) => i.file)];
  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      sock: opened.sock,
      username: o.user,
      authHandler,
      readyTimeout: timeoutMs,
      keepaliveInterval: 2_000,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: hostKeyAlgorithms(pinned) as never },
      hostVerifier: (blob: Buffer) => {
        presented = blob;
        hostKey.verdict = hostKeyVerdict(pinned, blob);
        if (hostKey.verdict === 'unknown' && o.acceptNewHostKey && o.knownHostsFiles[0]) {
          hostKey.accepted = true;
          void appendFile(o.knownHostsFiles[0], knownHostsLine(khName, blob), { mode: 0o600 }).catch(() => undefined);
          return true;
        }
        return hostKey.verdict === 'match';
      },
    });
  } catch (err) {
    ssh.dispose();
    closeJump();
    const e = err as Error & { level?: string };
    if (!banner.includes('SSH-')) {
      const got = banner ? `it sent ${JSON.stringify(banner.slice(0, 40))}` : `nothing within ${timeoutMs} ms`;
      return connectFailure('no-banner', `${where}: no SSH banner (${got}): is this an SSH port?`);
    }
    if (presented && hostKey.verdict !== 'match' && !hostKey.accepted) return hostKeyFailure(hostKey.verdict, khName, presented, o.knownHostsFiles);
    if (e.level === 'client-authentication') {
      return connectFailure('auth', `${where}: authentication refused for user ${o.user} (tried ${tried.length ? tried.join(', ') : 'no keys: give --identity or start ssh-agent'})`);
    }
    // ssh2's own errors carry a level; node-ssh's close-before-ready rejection does not.
    if (hungUp && e.level === undefined && hostKey.verdict === 'match') {
      return connectFailure('account', `${where}: the server closed the connection after the key exchange, before letting ${o.user} in: sshd's account check refused the login (PAM: /run/nologin while the host boots or shuts down, or an expired account; the host's sshd log says which)`);
    }
    if (hungUp && e.level === undefined) {
      return connectFailure('closed', `${where}: the server closed the connection during the SSH handshake, before authentication (sshd busy: MaxStartups or LoginGraceTime; or a firewall such as fail2ban)`);
    }
    if (e.level === 'client-timeout') return connectFailure('timeout', `${where}: SSH handshake timed out after ${timeoutMs} ms`);
    return connectFailure('ssh', `${where}: ssh connect failed: ${e.message}`);
  }
  return { ok: true, ssh, hostKey, closeJump };
}
