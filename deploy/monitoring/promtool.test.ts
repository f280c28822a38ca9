// @module-tag e2e
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { renderShippedRules } from './render-rules.ts';

const run = promisify(execFile);
const dir = fileURLToPath(new URL('.', import.meta.url));
const TESTS = join(dir, 'leakproof.rules.test.yml');

// promtool comes from Debian's prometheus package (.ci/run installs it without its server).
describe('promtool on the shipped rules', { timeout: 60_000 }, () => {
  it('checks them and passes their unit tests: one leaking and one healthy series per alert', async () => {
    await run('promtool', ['check', 'rules', join(dir, 'leakproof.rules.yml')]);
    const { stdout } = await run('promtool', ['test', 'rules', TESTS]);
    expect(stdout).toContain('SUCCESS');
  });

  it('passes the same tests once rendered by deploy setup with the default MemoryHigh', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'lp-rules-'));
    try {
      const r = await renderShippedRules({ memoryHigh: '448M', qaFloorBytesPerMessage: 4 });
      if (!r.ok) throw new Error(r.reason);
      await writeFile(join(tmp, 'leakproof.rules.yml'), r.text);
      await copyFile(TESTS, join(tmp, 'leakproof.rules.test.yml'));
      const { stdout } = await run('promtool', ['test', 'rules', join(tmp, 'leakproof.rules.test.yml')]);
      expect(stdout).toContain('SUCCESS');
    } finally {
      await rm(tmp, { recursive: true, force: true });
    }
  });
});
