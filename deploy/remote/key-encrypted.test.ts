import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyIsEncrypted } from './key-encrypted.ts';

describe('keyIsEncrypted (real ssh-keygen keys)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lp-keys-'));
  const key = (name: string, pass: string, extra: string[] = []) => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', pass, '-f', join(dir, name), ...extra]);
    return readFileSync(join(dir, name), 'utf8');
  };
  it('tells encrypted from plain OpenSSH keys', () => {
    expect(keyIsEncrypted(key('plain', ''))).toBe(false);
    expect(keyIsEncrypted(key('enc', 'pw'))).toBe(true);
  });
  it('reads PEM headers', () => {
    expect(keyIsEncrypted('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n')).toBe(true);
  });
});
