/**
 * Why a connection could not be made. Each kind has its own one-line message; only the host-key kinds
 * talk about host keys, and none of them advises accepting a key blindly.
 */
export type ConnectFailureKind =
  | 'resolve'
  | 'refused'
  | 'timeout'
  | 'unreachable'
  | 'no-banner'
  | 'closed'
  | 'account'
  | 'bad-key'
  | 'bad-passphrase'
  | 'auth'
  | 'unknown-host-key'
  | 'changed-host-key'
  | 'known-hosts'
  | 'ssh-config'
  | 'ssh';

export interface ConnectFailure {
  ok: false;
  kind: ConnectFailureKind;
  reason: string;
}

export const connectFailure = (kind: ConnectFailureKind, reason: string): ConnectFailure => ({ ok: false, kind, reason });

/** Maps a socket error of the TCP connect to its kind and line. */
export function socketFailure(where: string, err: NodeJS.ErrnoException): ConnectFailure {
  switch (err.code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return connectFailure('resolve', `${where}: name does not resolve (${err.code})`);
    case 'ECONNREFUSED':
      return connectFailure('refused', `${where}: connection refused (nothing listens on that port)`);
    case 'ETIMEDOUT':
      return connectFailure('timeout', `${where}: TCP connect timed out`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return connectFailure('unreachable', `${where}: host unreachable (${err.code})`);
    default:
      return connectFailure('ssh', `${where}: ${err.message}`);
  }
}
