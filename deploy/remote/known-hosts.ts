import { createHmac } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import { runProcess } from '../../app/core/run-process.ts';

/** `revoked`: the presented key is listed under `@revoked` for this host (OpenSSH refuses it too). */
export type HostKeyVerdict = 'match' | 'unknown' | 'changed' | 'revoked';

export interface PinnedKey {
  marker: '' | '@revoked' | '@cert-authority';
  type: string;
  key: string;
}

/** The key type is the first string of the SSH wire-format blob (uint32 length + bytes). */
export function keyTypeOf(blob: Buffer): string {
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('ascii');
}

function globMatches(glob: string, name: string): boolean {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return re.test(name);
}

/** One known_hosts host field, as OpenSSH reads it: hashed `|1|salt|hmac`, globs and `!negation`. */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    return !!salt && !!hash && createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  const patterns = field.split(',');
  if (patterns.some((p) => p.startsWith('!') && globMatches(p.slice(1), name))) return false;
  return patterns.some((p) => !p.startsWith('!') && globMatches(p, name));
}

/** known_hosts lines → entries; with `name`, only those whose host field matches it. */
export function parseKnownHosts(text: string, name?: string): PinnedKey[] {
  const out: PinnedKey[] = [];
  for (const raw of text.split('\n')) {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) continue;
    const marker = fields[0].startsWith('@') ? fields.shift() : '';
    const [hosts, type, key] = fields;
    if (!hosts || !type || !key || (marker !== '' && marker !== '@revoked' && marker !== '@cert-authority')) continue;
    if (name !== undefined && !hostFieldMatches(hosts, name)) continue;
    out.push({ marker: marker ?? '', type, key });
  }
  return out;
}

/**
 * The keys pinned for `name` in each file. OpenSSH's own `ssh-keygen -F` does the matching (hashed
 * names, globs, negation, markers); the parser above is the fallback where no OpenSSH client exists.
 */
export async function pinnedKeys(files: readonly string[], name: string): Promise<PinnedKey[]> {
  const out: PinnedKey[] = [];
  for (const file of files) {
    if (!(await access(file).then(() => true, () => false))) continue;
    const r = await runProcess(['ssh-keygen', '-F', name, '-f', file], { timeoutMs: 10_000 });
    // 0 found, 1 not found; anything else (no ssh-keygen, a file it cannot read) falls back to the parser.
    if (r.code === 0 || r.code === 1) out.push(...parseKnownHosts(r.stdout));
    else out.push(...parseKnownHosts(await readFile(file, 'utf8'), name));
  }
  return out;
}

/**
 * OpenSSH's rule: a presented key equal to a pinned one is a match; a pinned key of the same type that
 * differs is a changed key; keys pinned only for other types leave the presented type unknown.
 */
export function hostKeyVerdict(pinned: readonly PinnedKey[], blob: Buffer): HostKeyVerdict {
  const presented = blob.toString('base64');
  if (pinned.some((p) => p.marker === '@revoked' && p.key === presented)) return 'revoked';
  const plain = pinned.filter((p) => p.marker === '');
  if (plain.some((p) => p.key === presented)) return 'match';
  return plain.some((p) => p.type === keyTypeOf(blob)) ? 'changed' : 'unknown';
}

const ALGORITHMS_OF: Record<string, string[]> = {
  'ssh-ed25519': ['ssh-ed25519'],
  'ecdsa-sha2-nistp256': ['ecdsa-sha2-nistp256'],
  'ecdsa-sha2-nistp384': ['ecdsa-sha2-nistp384'],
  'ecdsa-sha2-nistp521': ['ecdsa-sha2-nistp521'],
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/**
 * Host key algorithms with the pinned types first, as OpenSSH orders them, so a host pinned only by
 * its ECDSA key is asked for that key rather than an unpinned Ed25519 one (a false "changed").
 */
export function hostKeyAlgorithms(pinned: readonly PinnedKey[]): string[] {
  const all = Object.values(ALGORITHMS_OF).flat();
  const first = [...new Set(pinned.filter((p) => p.marker === '').flatMap((p) => ALGORITHMS_OF[p.type] ?? []))];
  return [...first, ...all.filter((a) => !first.includes(a))];
}

export function knownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOf(blob)} ${blob.toString('base64')}\n`;
}
