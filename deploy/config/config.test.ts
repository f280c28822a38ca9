import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../app/core/duration.ts';
import { knownHostsName, parseHostSpec } from './host-spec.ts';
import { validateInventory } from './inventory.ts';
import { resolveTargets } from './resolve-targets.ts';
import { aliasFromConfigText, aliasFromSshG } from './ssh-config.ts';

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
    // What ships is always the bundle and its map: an inventory cannot pick files any more.
    [{ hosts: [{ name: 'a', address: 'x', files: ['app/main.ts'] }] }, /hosts\[0\].*files/],
    [{ hosts: [{ name: 'a', address: 'x', grace: 'later' }] }, /hosts\[0\]\.grace: "later" is not a duration/],
    [{ hosts: [{ name: 'a', address: 'x', logPattern: '(' }] }, /logPattern: must be a valid regular expression/],
    [{ hosts: [{ name: 'a', address: 'x', colour: 'red' }] }, /hosts\[0\]/],
    [{ hosts: [{ name: 'a', address: 'x' }, { name: 'a', address: 'y' }] }, /name "a" is used twice/],
    [{ hosts: [{ name: 'a', address: 'x', shards: { of: 2, run: [2] } }] }, /hosts\[0\]\.shards\.run\[0\]: shard 2 is not one of 0\.\.1/],
    [{ hosts: [{ name: 'a', address: 'x', shards: { of: 2, run: [1, 1] } }] }, /hosts\[0\]\.shards\.run\[1\]: shard 1 is named twice/],
    [{ hosts: [{ name: 'a', address: 'x', shards: { of: 2 } }] }, /hosts\[0\]\.shards: must be a shard count \(e\.g\. 2\) or \{ of: N, run: \[shard, \.\.\.\] \}/],
  ])('names the field: %j', (data, re) => {
    const res = validateInventory(data);
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toMatch(re);
  });
});

describe('shards spread over hosts', () => {
  const inventory = (...cuts: Array<{ of: number; run: number[] } | number>) => {
    const res = validateInventory({ hosts: cuts.map((shards, i) => ({ name: `h${i}`, address: `10.0.0.${i + 1}`, shards })) });
    if (!res.ok) throw new Error(res.reason);
    return res.inventory;
  };
  const resolve = (inv: ReturnType<typeof inventory>) => resolveTargets({ inventory: inv, flags: { hosts: [] } }, { home: '/h', aliases: new Map() });

  it('gives each host its own shards of one cut, beside a host that runs the whole universe', () => {
    const res = resolve(inventory({ of: 4, run: [3, 0] }, { of: 4, run: [1, 2] }, 2));
    expect(res.ok && res.targets.map((t) => t.shards)).toEqual([
      { count: 4, run: [0, 3] },
      { count: 4, run: [1, 2] },
      { count: 2, run: [0, 1] },
    ]);
  });
  it.each([
    [[{ of: 4, run: [0, 1] }, { of: 4, run: [2] }], /inventory shards: shard 3 of 4 runs on no host/],
    [[{ of: 4, run: [0] }], /inventory shards: shards 1, 2, 3 of 4 run on no host/],
    [[{ of: 2, run: [0, 1] }, { of: 2, run: [1] }], /inventory shards: shard 1 of 2 runs on both "h0" and "h1"/],
    [[{ of: 2, run: [0] }, { of: 3, run: [1, 2] }], /inventory shards: host "h1" cuts the universe in 3, host "h0" in 2/],
  ])('refuses a cut that leaves a shard on no host or on two: %j', (cuts, re) => {
    const res = resolve(inventory(...cuts));
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
  const src = { file: undefined, home: '/home/me', localUser: 'me' };
  it('the fallback parser (ssh-config package) resolves the first matching value per key', () => {
    expect(aliasFromConfigText(cfg, 'vps', '/home/me')).toEqual({
      ok: true,
      alias: { hostName: '10.200.1.2', user: 'deploy', port: 2222, identityFiles: ['/home/me/.ssh/vps_key'], userKnownHostsFiles: undefined, proxyJump: undefined },
    });
    expect(aliasFromConfigText(cfg, 'other', '/h')).toMatchObject({ ok: true, alias: { user: 'nobody', port: undefined, identityFiles: [] } });
  });
  it('the fallback refuses Include rather than ignoring it', () => {
    expect(aliasFromConfigText('Include ~/.ssh/conf.d/*\n', 'vps', '/h')).toMatchObject({ ok: false, reason: expect.stringMatching(/Include.*ssh -G/) });
  });
  it('reads ssh -G output, dropping OpenSSH built-in defaults so deploy defaults apply', () => {
    const g = 'user me\nhostname 10.200.1.2\nport 22\nidentityfile ~/.ssh/id_rsa\nidentityfile ~/.ssh/id_ed25519\nuserknownhostsfile /root/.ssh/known_hosts /root/.ssh/known_hosts2\nproxyjump none\n';
    expect(aliasFromSshG(g, src)).toEqual({ hostName: '10.200.1.2', user: undefined, port: undefined, identityFiles: [], userKnownHostsFiles: undefined, proxyJump: undefined });
    const set = 'user bob\nhostname h\nport 2222\nidentityfile ~/k\nidentityfile /abs/k2\nuserknownhostsfile ~/kh\nproxyjump j@jump:2200\n';
    expect(aliasFromSshG(set, src)).toEqual({ hostName: 'h', user: 'bob', port: 2222, identityFiles: ['/home/me/k', '/abs/k2'], userKnownHostsFiles: ['/home/me/kh'], proxyJump: 'j@jump:2200' });
  });
  const aliases = new Map([['vps', { hostName: '10.200.1.2', user: 'deploy', port: 2222, identityFiles: ['/home/me/.ssh/vps_key'] }]]);
  it('feeds --host vps through the alias', () => {
    const res = resolveTargets({ flags: { hosts: ['vps'], identity: '/k' } }, { home: '/home/me', aliases });
    expect(res.ok && res.targets[0]).toMatchObject({ address: '10.200.1.2', user: 'deploy', port: 2222, identityFiles: ['/k', '/home/me/.ssh/vps_key'], knownHostsFiles: ['/home/me/.ssh/known_hosts'], knownHostsGiven: false });
  });
  it('lets the explicit --host user/port win over the alias', () => {
    const res = resolveTargets({ flags: { hosts: ['root@vps:22'], knownHosts: '~/kh' } }, { home: '/h', aliases });
    expect(res.ok && res.targets[0]).toMatchObject({ user: 'root', port: 22, knownHostsFiles: ['/h/kh'], knownHostsGiven: true });
  });
});
