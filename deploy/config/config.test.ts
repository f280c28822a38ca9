import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.ts';
import { knownHostsName, parseHostSpec } from './host-spec.ts';
import { validateInventory } from './inventory.ts';
import { resolveTargets } from './resolve-targets.ts';
import { resolveSshAlias } from './ssh-config.ts';

describe('parseHostSpec', () => {
  it.each([
    ['deploy@10.200.1.2', { user: 'deploy', host: '10.200.1.2', port: undefined }],
    ['deploy@10.200.1.2:2222', { user: 'deploy', host: '10.200.1.2', port: 2222 }],
    ['root@[::1]:22', { user: 'root', host: '::1', port: 22 }],
    ['[fe80::1%eth0]', { user: undefined, host: 'fe80::1%eth0', port: undefined }],
    ['::1', { user: undefined, host: '::1', port: undefined }],
    ['vps', { user: undefined, host: 'vps', port: undefined }],
  ])('%s', (text, spec) => {
    expect(parseHostSpec(text)).toEqual({ ok: true, spec });
  });
  it.each([
    ['deploy@10.0.0.1:0', /port "0"/],
    ['deploy@10.0.0.1:ssh', /port "ssh"/],
    ['$(id)@host', /user/],
    ['deploy@', /address/],
    ['deploy@ho;st', /address/],
  ])('rejects %s', (text, re) => {
    const res = parseHostSpec(text);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(re);
  });
  it('names known_hosts entries like OpenSSH', () => {
    expect(knownHostsName('10.0.0.1', 22)).toBe('10.0.0.1');
    expect(knownHostsName('::1', 2222)).toBe('[::1]:2222');
  });
});

describe('parseDuration', () => {
  it('parses units and bare seconds', () => {
    expect(parseDuration('30s', 'x')).toEqual({ ok: true, ms: 30_000 });
    expect(parseDuration('10m', 'x')).toEqual({ ok: true, ms: 600_000 });
    expect(parseDuration('250ms', 'x')).toEqual({ ok: true, ms: 250 });
    expect(parseDuration('5', 'x')).toEqual({ ok: true, ms: 5_000 });
    expect(parseDuration('soon', '--grace')).toEqual({ ok: false, reason: expect.stringMatching(/--grace/) });
  });
});

describe('validateInventory', () => {
  const good = { defaults: { user: 'deploy', proofTimeout: '20s' }, hosts: [{ name: 'a', address: '10.0.0.1' }] };
  it('accepts a valid inventory and converts durations', () => {
    const res = validateInventory(good);
    expect(res.ok && res.inventory.defaults?.proofTimeout).toBe(20_000);
  });
  it.each([
    [{ hosts: [] }, /inventory hosts: needs at least one host/],
    [{ hosts: [{ name: 'a', address: 'x', port: 70000 }] }, /inventory hosts\[0\]\.port:/],
    [{ hosts: [{ name: 'a' }] }, /inventory hosts\[0\]\.address:/],
    [{ hosts: [{ name: 'a', address: 'x', appDir: 'rel/dir' }] }, /hosts\[0\]\.appDir: must be an absolute path/],
    [{ hosts: [{ name: 'a', address: 'x', files: ['../etc/passwd'] }] }, /hosts\[0\]\.files\[0\]: must be a relative path/],
    [{ hosts: [{ name: 'a', address: 'x', grace: 'later' }] }, /hosts\[0\]\.grace: "later" is not a duration/],
    [{ hosts: [{ name: 'a', address: 'x', logPattern: '(' }] }, /logPattern: must be a valid regular expression/],
    [{ hosts: [{ name: 'a', address: 'x', colour: 'red' }] }, /hosts\[0\]/],
    [{ hosts: [{ name: 'a', address: 'x' }, { name: 'a', address: 'y' }] }, /name "a" is used twice/],
  ])('names the field: %j', (data, re) => {
    const res = validateInventory(data);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(re);
  });
});

describe('ssh config aliases', () => {
  const cfg = `
Host vps vps-*
  HostName 10.200.1.2
  User deploy
  Port 2222
  IdentityFile ~/.ssh/vps_key
Host *
  User nobody
  Port 22
`;
  it('resolves the first matching value per key', () => {
    expect(resolveSshAlias(cfg, 'vps', '/home/me')).toEqual({
      hostName: '10.200.1.2',
      user: 'deploy',
      port: 2222,
      identityFile: '/home/me/.ssh/vps_key',
    });
    expect(resolveSshAlias(cfg, 'other', '/h')).toEqual({ user: 'nobody', port: 22 });
  });
  it('feeds --host vps through the alias', () => {
    const res = resolveTargets({ flags: { hosts: ['vps'] } }, { home: '/home/me', sshConfigText: cfg });
    expect(res.ok && res.targets[0]).toMatchObject({ address: '10.200.1.2', user: 'deploy', port: 2222, knownHostsFile: '/home/me/.ssh/known_hosts' });
  });
  it('lets the explicit --host user/port win over the alias', () => {
    const res = resolveTargets({ flags: { hosts: ['root@vps:22'] } }, { home: '/h', sshConfigText: cfg });
    expect(res.ok && res.targets[0]).toMatchObject({ user: 'root', port: 22 });
  });
});
