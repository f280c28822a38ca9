import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, keyTypeOf, knownHostsLine } from './known-hosts.ts';

function fakeBlob(type: string): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  return Buffer.concat([len, t, randomBytes(32)]);
}

describe('checkHostKey', () => {
  const key = fakeBlob('ssh-ed25519');
  const other = fakeBlob('ssh-ed25519');
  it('matches a pinned plain entry, and [addr]:port names', () => {
    const text = knownHostsLine('[10.200.1.2]:2222', key) + knownHostsLine('10.0.0.9', other);
    expect(checkHostKey(text, '[10.200.1.2]:2222', key)).toBe('match');
    expect(checkHostKey(text, '10.200.1.2', key)).toBe('unknown');
  });
  it('reports a changed key when the host is known with another key', () => {
    expect(checkHostKey(knownHostsLine('10.200.1.2', other), '10.200.1.2', key)).toBe('changed');
  });
  it('matches hashed entries', () => {
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('10.200.1.2').digest('base64');
    const text = `|1|${salt.toString('base64')}|${hash} ssh-ed25519 ${key.toString('base64')}\n`;
    expect(checkHostKey(text, '10.200.1.2', key)).toBe('match');
    expect(checkHostKey(text, '10.200.1.3', key)).toBe('unknown');
  });
  it('refuses revoked keys', () => {
    const text = `@revoked 10.200.1.2 ssh-ed25519 ${key.toString('base64')}\n` + knownHostsLine('10.200.1.2', key);
    expect(checkHostKey(text, '10.200.1.2', key)).toBe('changed');
  });
  it('reads the key type from the blob', () => {
    expect(keyTypeOf(fakeBlob('ssh-rsa'))).toBe('ssh-rsa');
  });
});
