// @module-tag e2e
// @module-tag vps
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { denyWrite } from '../testing/guest-faults.ts';
import { describeVps } from '../testing/vps-vitest.ts';
import type { Vps } from '../testing/vps-handle.ts';
import { bootForDeploy, expectHostAtVerified, hostEntry, makeBuild, releaseRecords, runCli, setupOrThrow, tightenSudo, writeEnvFile } from './e2e-support.ts';

describeVps('fleet on 4 real VPSes: rolling batches, canary, stop and roll back the fleet', () => {
  let vpses: Vps[] = [];
  let dir: string;
  const inventory = async (hosts: Vps[], name: string) => {
    const file = join(dir, `${name}.yaml`);
    const doc = {
      defaults: { user: 'deploy', service: 'leakproof', grace: '1s', proofTimeout: '45s' },
      hosts: hosts.map(hostEntry),
    };
    await writeFile(file, stringify(doc));
    return file;
  };
  beforeAll(async () => {
    vpses = await Promise.all([1, 2, 3, 4].map(() => bootForDeploy()));
    dir = await makeBuild('fleet-base');
    const env = await writeEnvFile(dir, { LEAKPROOF_HTTP_PORT: '0' });
    await setupOrThrow(vpses, ['--inventory', await inventory(vpses, 'all'), '--root', dir, '--skip-qa', '--batch', '3', '--env-file', env, '--exchange', 'sim'], 400_000);
    await Promise.all(vpses.map(tightenSudo));
  }, 450_000);
  afterAll(async () => {
    await Promise.all(vpses.map((v) => v.stop()));
  });

  const verifiedOf = async (v: Vps) => (await releaseRecords(v)).filter((x) => x.status === 'verified').at(-1)!.id;

  // 45 s proof timeout: with the whole suite running, four guests start node + tsx + ccxt on 2 shared cores.
  it('deploys a fleet of 4 with --batch 2: canary, then 2, then 1', async () => {
    const build = await makeBuild('fleet-good');
    const r = await runCli('deploy/deploy.ts', ['--inventory', await inventory(vpses, 'all'), '--root', build, '--skip-qa', '--batch', '2', '--json'], { timeoutMs: 240_000 });
    console.log(`[measure] fleet of 4 --batch 2: ${r.ms} ms`);
    expect(r.code, r.stderr).toBe(0);
    const ids = await Promise.all(vpses.map(verifiedOf));
    expect(new Set(ids).size).toBe(1);
    for (const v of vpses) await expectHostAtVerified(v, ids[0]!);
  }, 300_000);

  it('a fleet whose second host cannot be reached changes nothing: exit 2, the first is not touched', async () => {
    const first = vpses[0]!;
    const before = await releaseRecords(first);
    const file = join(dir, 'unreachable.yaml');
    const hosts = [
      hostEntry(first),
      { ...hostEntry(first), name: 'unreachable', address: '127.0.0.1', port: 1 },
    ];
    await writeFile(file, stringify({ defaults: { user: 'deploy', service: 'leakproof', grace: '1s' }, hosts }));
    const r = await runCli('deploy/deploy.ts', ['--inventory', file, '--root', await makeBuild('fleet-unreachable'), '--skip-qa', '--json'], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/✘ unreachable: unchanged — 127\.0\.0\.1:1: connection refused/);
    const ev = JSON.parse(r.stdout) as { hosts: { host: string; finalState: string; steps: unknown[] }[] };
    expect(ev.hosts.map((h) => [h.finalState, h.steps.length])).toEqual([['unchanged', 0], ['unchanged', 0]]);
    expect(await releaseRecords(first)).toEqual(before);
    await expectHostAtVerified(first, before.filter((x) => x.status === 'verified').at(-1)!.id);
  }, 180_000);

  it('a fleet of 3 where the second fails stops, rolls the canary back and leaves the third untouched', async () => {
    const three = vpses.slice(0, 3);
    const before = await Promise.all(three.map(verifiedOf));
    const third = (await releaseRecords(three[2]!)).length;
    const fault = await denyWrite(three[1]!, `${three[1]!.appDir}/dist/leakproof.mjs`);
    const r = await runCli('deploy/deploy.ts', ['--inventory', await inventory(three, 'three'), '--root', await makeBuild('fleet-bad'), '--skip-qa', '--batch', '1', '--json'], {
      timeoutMs: 240_000,
    }).finally(() => fault.undo());
    expect(r.code, r.stderr).toBe(1);
    const ev = JSON.parse(r.stdout) as { hosts: { host: string; finalState: string; rollback: { reason: string } | null }[] };
    expect(ev.hosts.map((h) => h.finalState)).toEqual(['rolled-back', 'rolled-back']);
    expect(ev.hosts[0]?.rollback?.reason).toMatch(/fleet stopped/);
    for (const [i, v] of three.entries()) await expectHostAtVerified(v, before[i]!);
    expect((await releaseRecords(three[2]!)).length).toBe(third);
  }, 300_000);
});
