import { readFile } from 'node:fs/promises';
import ssh2 from 'ssh2';
import type { ConnectFailure } from './connect-failure.ts';

export interface Identity {
  file: string;
  text: string;
}

/**
 * Reads and parses one key file with ssh2's own key parser (the one the connection uses), so a file
 * that is not a key or a wrong passphrase is said before any host is contacted.
 */
export async function loadIdentity(file: string, passphrase: string | undefined): Promise<{ ok: true; identity: Identity } | ConnectFailure> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, kind: 'bad-key', reason: `identity ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')}` };
  }
  const parsed = ssh2.utils.parseKey(text, passphrase);
  if (parsed instanceof Error) {
    if (/no passphrase given/i.test(parsed.message)) return { ok: false, kind: 'bad-passphrase', reason: `identity ${file} is encrypted: give --passphrase-env VAR` };
    if (/bad passphrase/i.test(parsed.message)) return { ok: false, kind: 'bad-passphrase', reason: `identity ${file}: wrong passphrase (--passphrase-env)` };
    return { ok: false, kind: 'bad-key', reason: `identity ${file} is not a private key (${parsed.message})` };
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key?.isPrivateKey()) return { ok: false, kind: 'bad-key', reason: `identity ${file} is a public key: give the private key file` };
  return { ok: true, identity: { file, text } };
}

/**
 * The keys to offer, in order: the explicit ones (each must load), then the default `~/.ssh/id_*` that
 * exist and load without a prompt, as `ssh` offers them.
 */
export async function loadIdentities(explicit: readonly string[], defaults: readonly string[], passphrase: string | undefined): Promise<{ ok: true; identities: Identity[] } | ConnectFailure> {
  const identities: Identity[] = [];
  for (const file of new Set(explicit)) {
    const r = await loadIdentity(file, passphrase);
    if (!r.ok) return r;
    identities.push(r.identity);
  }
  for (const file of defaults.filter((f) => !explicit.includes(f))) {
    const r = await loadIdentity(file, passphrase);
    if (r.ok) identities.push(r.identity);
  }
  return { ok: true, identities };
}

export const defaultIdentityFiles = (home: string): string[] => ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((n) => `${home}/.ssh/${n}`);
