import { isIP } from 'node:net';

/** True for http(s)/ws(s) URLs whose host is in 127.0.0.0/8, ::1 or "localhost". */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return false;
  }
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.split('.')[0] === '127';
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

export class NonLoopbackError extends Error {
  override name = 'NonLoopbackError';
}

export function assertLoopback(url: string, what: string): void {
  if (isLoopbackUrl(url)) return;
  const shown = URL.canParse(url) ? new URL(url).origin : JSON.stringify(url);
  throw new NonLoopbackError(`${what}: refused non-loopback URL ${shown} (allowNonLoopback is false)`);
}
