// @module-tag e2e
// @module-tag vps
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { bootVps } from '../testing/boot-vps.ts';
import { describeVps } from '../testing/vps-vitest.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { expectHostAtVerified, hostArgs, hostEntry, makeBuild, releaseRecords, runCli, writeEnvFile } from './e2e-support.ts';

const UNITS = ['leakproof@0.service', 'leakproof@1.service'];

type Ev = { hosts: { finalState: string; instances?: { unit: string; invocationId: string | null; logProof: { line: string } | null }[] }[] };

describeVps('2 shards on one host: leakproof@.service instances, each proven, rolled back together; then cut over 2 hosts', () => {
  let vps: Vps;
  let other: Vps;
  const args = (extra: string[]) => [...hostArgs(vps), '--shards', '2', '--skip-qa', '--grace', '1s', '--proof-timeout', '45s', '--json', ...extra];
  /** Each instance's current InvocationID, and the shard its own journal says it runs. */
  const instances = async (host = vps, units = UNITS) =>
    Promise.all(
      units.map(async (unit) => {
        const invocation = (await host.execOk(['systemctl', 'show', '-p', 'InvocationID', '--value', unit])).trim();
        const journal = await host.execOk(['journalctl', `_SYSTEMD_INVOCATION_ID=${invocation}`, '-o', 'cat', '--no-pager']);
        return { unit, invocation, shard: /Shard (\d+) of (\d+) \(0-based\)/.exec(journal)?.slice(1, 3).join('/'), active: (await host.exec(['systemctl', 'is-active', unit])).stdout.trim() };
      }),
    );
  const proven = (ev: Ev, host = 0) => ev.hosts[host]?.instances?.map((i) => ({ unit: i.unit, invocation: i.invocationId, line: /Startup cleanup complete/.test(i.logProof?.line ?? '') }));

  beforeAll(async () => {
    [vps, other] = await Promise.all([bootVps({ sudoCommands: [] }), bootVps({ sudoCommands: [] })]);
    for (const v of [vps, other]) await v.execOk(['sh', '-c', 'printf "deploy ALL=(ALL) NOPASSWD:ALL\\n" > /etc/sudoers.d/leakproof-vps']);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([vps?.stop(), other?.stop()]);
  });

  it('setup --shards 2, deploy --shards 2 (each instance proven by its own invocation), rollback restarts and proves both', async () => {
    const base = await makeBuild('shards-base');
    const env = await writeEnvFile(base, { LEAKPROOF_HTTP_PORT: '0' });
    const setup = await runCli('deploy/deploy.ts', ['setup', ...args(['--root', base, '--exchange', 'sim', '--env-file', env])], { timeoutMs: 240_000 });
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stderr).toMatch(/NOPASSWD: \/usr\/bin\/systemctl restart leakproof@0\.service leakproof@1\.service/);
    expect((await vps.execOk(['systemctl', 'show', '-p', 'LoadState', '--value', 'leakproof.service'])).trim()).toBe('not-found');
    const first = (await releaseRecords(vps)).at(-1)!.id;

    const r = await runCli('deploy/deploy.ts', args(['--root', await makeBuild('shards-next')]), { timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    const running = await instances();
    expect(running.map((i) => [i.unit, i.shard, i.active])).toEqual([[UNITS[0], '0/2', 'active'], [UNITS[1], '1/2', 'active']]);
    expect(proven(JSON.parse(r.stdout) as Ev)).toEqual(running.map((i) => ({ unit: i.unit, invocation: i.invocation, line: true })));
    expect(new Set(running.map((i) => i.invocation)).size).toBe(2);
    const deployed = (await releaseRecords(vps)).at(-1)!.id;
    await expectHostAtVerified(vps, deployed);

    const rb = await runCli('rollback/rollback.ts', [...hostArgs(vps), '--shards', '2', '--grace', '1s', '--json']);
    expect(rb.code, rb.stderr).toBe(0);
    await expectHostAtVerified(vps, first);
    const back = await instances();
    expect(back.map((i) => [i.shard, i.active])).toEqual([['0/2', 'active'], ['1/2', 'active']]);
    // Both went down and up together: each has a new invocation, proven by its own lines.
    for (const [i, b] of back.entries()) expect(b.invocation).not.toBe(running[i]!.invocation);
    expect(proven(JSON.parse(rb.stdout) as Ev)).toEqual(back.map((i) => ({ unit: i.unit, invocation: i.invocation, line: true })));
    console.log(`[measure] 2 shards: setup ${setup.ms} ms, deploy ${r.ms} ms, rollback ${rb.ms} ms`);
  }, 600_000);

  it('an inventory cut over 2 hosts: the first hands shard 1 to the second, each runs and proves only its own', async () => {
    const base = await makeBuild('cut-base');
    const env = await writeEnvFile(base, { LEAKPROOF_HTTP_PORT: '0' });
    const file = join(base, 'cut.yaml');
    const hosts = [
      { ...hostEntry(vps), shards: { of: 2, run: [0] } },
      { ...hostEntry(other), shards: { of: 2, run: [1] } },
    ];
    await writeFile(file, stringify({ defaults: { grace: '1s', proofTimeout: '45s' }, hosts }));
    const setup = await runCli('deploy/deploy.ts', ['setup', '--inventory', file, '--root', base, '--skip-qa', '--exchange', 'sim', '--env-file', env, '--json'], { timeoutMs: 300_000 });
    expect(setup.code, setup.stderr).toBe(0);
    expect(setup.stderr).toMatch(/NOPASSWD: \/usr\/bin\/systemctl restart leakproof@1\.service\n/);

    const r = await runCli('deploy/deploy.ts', ['--inventory', file, '--root', await makeBuild('cut-next'), '--skip-qa', '--json'], { timeoutMs: 240_000 });
    expect(r.code, r.stderr).toBe(0);
    const [first, second] = [await instances(vps, [UNITS[0]!]), await instances(other, [UNITS[1]!])];
    expect([...first, ...second].map((i) => [i.unit, i.shard, i.active])).toEqual([[UNITS[0], '0/2', 'active'], [UNITS[1], '1/2', 'active']]);
    // The first host ran both shards before: setup stopped and disabled its shard 1, so no symbol is watched twice.
    expect((await vps.exec(['systemctl', 'is-active', UNITS[1]!])).stdout.trim()).toBe('inactive');
    expect((await vps.exec(['systemctl', 'is-enabled', UNITS[1]!])).stdout.trim()).toBe('disabled');
    const ev = JSON.parse(r.stdout) as Ev;
    expect([proven(ev, 0), proven(ev, 1)]).toEqual([first, second].map((is) => is.map((i) => ({ unit: i.unit, invocation: i.invocation, line: true }))));
    for (const v of [vps, other]) await expectHostAtVerified(v, (await releaseRecords(v)).at(-1)!.id);
    console.log(`[measure] cut over 2 hosts: setup ${setup.ms} ms, deploy ${r.ms} ms`);
  }, 600_000);
});
