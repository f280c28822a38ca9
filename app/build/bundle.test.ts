// @module-tag e2e
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IMMEDIATE_START_LINE, STARTUP_LINE_RE, TASK_STARTED_RE } from '../cleanup/cleanup-lines.ts';
import { killAll, spawnService, waitFor, type ServiceChild } from '../testing/service-child.ts';
import { BUNDLE_NAME, buildBundle } from './build-bundle.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
const children: ServiceChild[] = [];
afterEach(() => killAll(children));
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const tempDir = async (name: string) => {
  const d = await mkdtemp(path.join(tmpdir(), `leakproof-${name}-`));
  dirs.push(d);
  return d;
};

describe('the one-file bundle', () => {
  it('holds only ccxt bybit, and starts alone (no tsx, no node_modules) to the three startup-cleanup lines', async () => {
    const built = await buildBundle({ root: ROOT, outDir: await tempDir('build') });
    if (!built.ok) throw new Error(built.reason);

    const ccxt = built.inputs.filter((f) => f.startsWith('node_modules/ccxt/'));
    expect(ccxt).toContain('node_modules/ccxt/js/src/pro/bybit.js');
    const exchanges = ccxt.filter((f) => /^node_modules\/ccxt\/js\/src\/(pro\/)?[a-z0-9]+\.js$/.test(f)).map((f) => f.replace('node_modules/ccxt/js/src/', ''));
    expect(exchanges.sort()).toEqual(['bybit.js', 'pro/bybit.js']);
    expect(built.inputs.filter((f) => /node_modules\/(tsx|protobufjs)\//.test(f))).toEqual([]);
    expect(built.inputs).toContain('app/main.ts');
    const meta = JSON.parse(await readFile(built.metafile, 'utf8')) as { inputs: Record<string, unknown> };
    expect(Object.keys(meta.inputs)).toEqual(expect.arrayContaining(built.inputs));

    const alone = await tempDir('alone');
    await copyFile(built.bundle, path.join(alone, BUNDLE_NAME));
    await copyFile(built.map, path.join(alone, `${BUNDLE_NAME}.map`));
    const config = path.join(alone, 'config.json');
    await writeFile(config, JSON.stringify({ exchange: 'sim', http: { port: 0 }, log: { format: 'json' } }));
    const svc = spawnService(['--expose-gc', BUNDLE_NAME, '--config', config], { cwd: alone });
    children.push(svc);

    const at = await waitFor('the startup line', () => {
      const i = svc.messages.findIndex((m) => STARTUP_LINE_RE.test(m));
      return i >= 0 ? i : svc.child.exitCode === null ? undefined : -1;
    }, 20_000);
    expect(at, svc.stderr()).toBeGreaterThanOrEqual(2);
    expect(svc.messages[at - 2]).toMatch(TASK_STARTED_RE);
    expect(svc.messages[at - 1]).toBe(IMMEDIATE_START_LINE);
    expect(svc.messages[at]).toContain('GC: yes');
    expect(svc.messages.some((m) => /^Emulator listening on http:\/\/127\.0\.0\.1:\d+/.test(m))).toBe(true);

    // main.ts installs its SIGTERM handler once the service (HTTP last) is up.
    await waitFor('the HTTP line', () => (svc.messages.some((m) => m.startsWith('HTTP listening on')) ? true : undefined), 20_000);
    svc.child.kill('SIGTERM');
    expect(await svc.exited).toEqual([0, null]);
  }, 60_000);
});
