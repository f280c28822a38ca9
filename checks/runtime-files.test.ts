import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runStaticChecks } from './engine/run-static.ts';
import { parseSpecs } from './engine/spec-schema.ts';
import { importClosure, diskReader, runtimeFileSet } from './runtime-files.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));

const root = mkdtempSync(path.join(os.tmpdir(), 'leakproof-runtime-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), text);
};

write('package.json', JSON.stringify({ dependencies: { zod: '1', tsx: '1' }, devDependencies: { vitest: '1', 'ts-morph': '1' } }));
write('package-lock.json', '{}');
write(
  'app/main.ts',
  ["import { z } from 'zod';", "import { readFileSync } from 'node:fs';", "import path from 'path';", "import { a } from './lib/a.ts';", "import type { T } from './types.ts';", "const later = await import('./lazy.ts');", 'void [z, readFileSync, path, a, later];', 'export type { T };'].join('\n'),
);
write('app/lib/a.ts', "import type { Suite } from 'vitest';\nexport { b } from './b.ts';\nexport const a = 1;\nexport type S = Suite;");
write('app/lib/b.ts', "import { Project } from 'ts-morph';\nexport const b = Project;");
write('app/types.ts', 'export type T = number;');
write('app/lazy.ts', 'export const lazy = 1;');
write('app/unused.ts', "import 'left-pad';");
write('sim/app/main.ts', "import { run } from './service/start.ts';\nvoid run;");
write('sim/app/service/start.ts', "export const run = () => import('../sim/emulator.ts');\nexport const extra = () => import('./later.ts');");
write('sim/app/service/later.ts', "import { x } from '../sim/sim-clock.ts';\nexport const later = x;");
write('sim/app/sim/emulator.ts', "import { x } from './sim-clock.ts';\nexport const e = x;");
write('sim/app/sim/sim-clock.ts', 'export const x = 1;');
write('sim/package.json', '{}');

describe('runtimeFileSet', () => {
  it('is the sorted import closure of app/main.ts plus the manifests, type-only and dynamic imports included', () => {
    expect(runtimeFileSet(root)).toEqual(['app/lazy.ts', 'app/lib/a.ts', 'app/lib/b.ts', 'app/main.ts', 'app/types.ts', 'package-lock.json', 'package.json']);
  });
  it('records external imports with line, column and type-only', () => {
    const c = importClosure('app/main.ts', diskReader(root));
    expect(c.externals.map((e) => [e.file, e.packageName, e.typeOnly, e.line, e.col])).toEqual(
      expect.arrayContaining([
        ['app/main.ts', 'zod', false, 1, 19],
        ['app/lib/a.ts', 'vitest', true, 1, 28],
        ['app/lib/b.ts', 'ts-morph', false, 1, 25],
      ]),
    );
  });
  it('leaves the lazily imported sim files out of the bybit set only, and follows every other edge', () => {
    const sim = path.join(root, 'sim');
    expect(runtimeFileSet(sim)).toEqual(['app/main.ts', 'app/service/later.ts', 'app/service/start.ts', 'app/sim/emulator.ts', 'app/sim/sim-clock.ts', 'package.json']);
    // later.ts is a dynamic edge to a non-sim file, and it imports a sim file statically: both stay.
    expect(runtimeFileSet(sim, diskReader(sim), { mode: 'bybit' })).toEqual(['app/main.ts', 'app/service/later.ts', 'app/service/start.ts', 'app/sim/sim-clock.ts', 'package.json']);
  });
  it('on this repository: app/sim is shipped, but not in the closure a bybit run loads', () => {
    const all = runtimeFileSet(REPO);
    const bybit = runtimeFileSet(REPO, diskReader(REPO), { mode: 'bybit' });
    expect(all).toEqual(expect.arrayContaining(['app/sim/emulator.ts', 'app/sim/ws-hub.ts', 'app/service/sim-options.ts', 'app/exchange/ccxt-source.ts']));
    expect(bybit.filter((f) => f.startsWith('app/sim/') || f === 'app/service/sim-options.ts')).toEqual([]);
    expect(bybit).toEqual(expect.arrayContaining(['app/main.ts', 'app/exchange/ccxt-source.ts', 'app/service/market-source-factory.ts']));
  });
  it('throws naming the file when a relative import is missing', () => {
    const read = diskReader(root);
    expect(() => runtimeFileSet(root, (rel) => (rel === 'app/lib/b.ts' ? undefined : read(rel)))).toThrow(/app\/lib\/a.ts:2: cannot resolve .\/b.ts/);
  });
});

describe('dependency hygiene', () => {
  const specs = parseSpecs([{ id: 'deps', title: 't', severity: 'major', why: 'w', assert: [{ kind: 'dependency-hygiene', entry: 'app/main.ts', require: ['tsx', 'pino'] }] }]);
  it('fails each runtime import of a devDependency and each missing required package; type-only imports pass', () => {
    const failed = runStaticChecks({ root, specs }).findings.filter((f) => !f.ok);
    expect(failed.map((f) => [f.file, f.line, f.message])).toEqual([
      ['app/lib/b.ts', 1, 'app/lib/b.ts imports ts-morph, only in devDependencies'],
      ['package.json', 1, 'pino is needed at run time but not in package.json'],
    ]);
  });
  it('passes once the package moves to dependencies', () => {
    const pkg = JSON.stringify({ dependencies: { zod: '1', tsx: '1', pino: '1', 'ts-morph': '1' } }, null, 2);
    const findings = runStaticChecks({ root, specs, overlay: new Map([['package.json', pkg]]) }).findings;
    expect(findings.map((f) => f.ok)).toEqual([true]);
    expect(findings[0]!.message).toMatch(/5 runtime files import ts-morph, zod/);
  });
});
