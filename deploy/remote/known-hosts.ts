import { createHmac } from 'node:crypto';

export type HostKeyVerdict = 'match' | 'unknown' | 'changed';

/** The key type is the first string of the SSH wire-format blob (uint32 length + bytes). */
export function keyTypeOf(blob: Buffer): string {
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('ascii');
}

function patternMatches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return pattern === name;
}

/**
 * Checks a presented host key against known_hosts text. A host with entries but none for this key
 * is `changed` (refuse); a host with no entries is `unknown` (refuse unless accepting new keys).
 */
export function checkHostKey(knownHostsText: string, name: string, blob: Buffer): HostKeyVerdict {
  const presented = blob.toString('base64');
  let seen = false;
  for (const raw of knownHostsText.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    if (fields[0]?.startsWith('@')) {
      if (fields[0] === '@revoked' && fields[3] === presented && fields[1]?.split(',').some((p) => patternMatches(p, name))) {
        return 'changed';
      }
      continue;
    }
    const [patterns, , key] = fields;
    if (!patterns || !key || !patterns.split(',').some((p) => patternMatches(p, name))) continue;
    seen = true;
    if (key === presented) return 'match';
  }
  return seen ? 'changed' : 'unknown';
}

export function knownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOf(blob)} ${blob.toString('base64')}\n`;
}
