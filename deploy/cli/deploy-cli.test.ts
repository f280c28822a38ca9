// @module-tag e2e
import { execFileSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli, stubBuildRoot } from '../e2e/e2e-support.ts';

describe('deploy CLI edge: usage, config and gate errors exit 2 and change nothing', () => {
  let root: string;
  beforeAll(async () => {
    root = await stubBuildRoot(await mkdtemp(join(tmpdir(), 'lp-cli-')));
  });

  it('refuses without a QA result: "run npm run qa first"', async () => {
    const r = await runCli('deploy/deploy.ts', ['--host', 'deploy@127.0.0.1:1', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/run npm run qa first/);
  }, 30_000);

  it('names the bad inventory field', async () => {
    const inv = join(root, 'inv.yaml');
    await writeFile(inv, 'hosts:\n  - name: a\n    address: 10.0.0.1\n    port: 99999\n');
    const r = await runCli('deploy/deploy.ts', ['--inventory', inv, '--root', root, '--skip-qa']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inventory hosts\[0\]\.port/);
  }, 30_000);

  it('an encrypted key without --passphrase-env exits 2 without prompting', async () => {
    const key = join(root, 'enc_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'secret-pass', '-f', key]);
    const r = await runCli('deploy/deploy.ts', ['--host', 'deploy@127.0.0.1:1', '--identity', key, '--root', root, '--skip-qa']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/encrypted: give --passphrase-env/);
    expect(r.stderr).not.toMatch(/secret-pass/);
  }, 30_000);
});
