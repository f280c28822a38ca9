// @module-tag e2e
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hostKeyAlgorithms, hostKeyVerdict, knownHostsLine, parseKnownHosts, pinnedKeys } from './known-hosts.ts';

/** Real public keys from ssh-keygen, as wire blobs (what the server presents). */
function realKey(dir: string, name: string, type: string): Buffer {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', join(dir, name)]);
  return Buffer.from(execFileSync('cat', [`${join(dir, name)}.pub`]).toString().split(' ')[1] ?? '', 'base64');
}

describe('known_hosts, matched by OpenSSH (ssh-keygen -F) and by the fallback parser', () => {
  let dir: string;
  let ed: Buffer;
  let ed2: Buffer;
  let ecdsa: Buffer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lp-kh-'));
    ed = realKey(dir, 'ed', 'ed25519');
    ed2 = realKey(dir, 'ed2', 'ed25519');
    ecdsa = realKey(dir, 'ec', 'ecdsa');
  });

  it('hashed names and [host]:port entries match; another port does not', async () => {
    const file = join(dir, 'hashed');
    await writeFile(file, knownHostsLine('[10.200.1.2]:2222', ed) + knownHostsLine('10.0.0.9', ed2));
    execFileSync('ssh-keygen', ['-q', '-H', '-f', file]);
    expect(await readFile(file, 'utf8')).not.toMatch(/10\.200/);
    const pinned = await pinnedKeys([file], '[10.200.1.2]:2222');
    expect(hostKeyVerdict(pinned, ed)).toBe('match');
    expect(hostKeyVerdict(await pinnedKeys([file], '10.200.1.2'), ed)).toBe('unknown');
    // The fallback parser agrees with OpenSSH on the hashed file.
    expect(parseKnownHosts(await readFile(file, 'utf8'), '[10.200.1.2]:2222')).toEqual(pinned);
  });

  it('a file with only the ECDSA key: an Ed25519 key is unknown (not "changed"), and ECDSA is asked for first', async () => {
    const pinned = parseKnownHosts(knownHostsLine('10.200.1.2', ecdsa), '10.200.1.2');
    expect(hostKeyVerdict(pinned, ed)).toBe('unknown');
    expect(hostKeyVerdict(pinned, ecdsa)).toBe('match');
    expect(hostKeyAlgorithms(pinned)[0]).toBe('ecdsa-sha2-nistp256');
    expect(hostKeyAlgorithms([])[0]).toBe('ssh-ed25519');
  });

  it('the same type with another key is changed; a revoked key is revoked', () => {
    expect(hostKeyVerdict(parseKnownHosts(knownHostsLine('h', ed2), 'h'), ed)).toBe('changed');
    const text = `@revoked h ssh-ed25519 ${ed.toString('base64')}\n${knownHostsLine('h', ed)}`;
    expect(hostKeyVerdict(parseKnownHosts(text, 'h'), ed)).toBe('revoked');
  });

  it('globs and negation, as OpenSSH reads them', async () => {
    const file = join(dir, 'globs');
    await writeFile(file, `10.200.*,!10.200.9.9 ssh-ed25519 ${ed.toString('base64')}\n`);
    expect(hostKeyVerdict(await pinnedKeys([file], '10.200.1.2'), ed)).toBe('match');
    expect(hostKeyVerdict(await pinnedKeys([file], '10.200.9.9'), ed)).toBe('unknown');
    expect(parseKnownHosts(await readFile(file, 'utf8'), '10.200.9.9')).toEqual([]);
    expect(await pinnedKeys([join(dir, 'missing')], 'h')).toEqual([]);
  });
});
