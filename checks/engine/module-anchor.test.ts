import { describe, expect, it } from 'vitest';
import { checkSpecs } from './run-specs.ts';
import { createSourceSet } from './source-set.ts';
import { parseSpecs } from './spec-schema.ts';
import { FIXTURES, REPO_ROOT, fixtureSpec } from '../testing/fixture-specs.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const FILE = `${FIXTURES}/entry.ts`;
const original = readFileSync(path.join(REPO_ROOT, FILE), 'utf8');
const spec = parseSpecs([fixtureSpec({ anchor: { entry: true }, assert: [{ kind: 'runs-unconditionally', step: { call: 'start' } }] })]);
const START = 'const service = await start(loaded)';

/** Checks the entry fixture with `find` replaced (once) by `replace`, through the engine's overlay. */
function check(find?: string, replace = '') {
  const sources = createSourceSet(REPO_ROOT, FILE);
  if (find !== undefined) {
    expect(original.split(find)).toHaveLength(2);
    sources.setOverlay(new Map([[FILE, original.replace(find, replace)]]));
  }
  return checkSpecs(spec, sources);
}

describe('module anchor + runs-unconditionally', () => {
  it('passes on a top-level call after a guarded exit, pointing at the call', () => {
    const findings = check();
    expect(findings).toEqual([expect.objectContaining({ ok: true, file: FILE, line: 12, check: 'runs-unconditionally' })]);
  });

  const broken: Array<[string, string, string, RegExp]> = [
    ['deleted', START, 'const service = await Promise.resolve(null as never)', /start\(…\) not found/],
    ['under if (false)', START, 'let service!: Awaited<ReturnType<typeof start>>;\nif (false) service = await start(loaded)', /under an if/],
    ['after process.exit', 'const loaded = loadConfig();', 'const loaded = loadConfig();\nprocess.exit(0);', /process\.exit\(0\)` ends the run/],
    ['after a local never-returning helper', 'const loaded = loadConfig();', "const loaded = loadConfig();\nfail('early', 0);", /fail\('early', 0\)` ends the run/],
    ['after a throw', 'const loaded = loadConfig();', "const loaded = loadConfig();\nthrow new Error('x');", /throw new Error/],
    ['only inside a function', START, 'export const later = () => start(loaded);\nconst service = await Promise.resolve(null as never)', /inside a nested function/],
    ['in a loop that may not run', START, 'for (const x of [] as number[]) void start(x);\nconst service = await Promise.resolve(null as never)', /inside a loop/],
  ];
  it.each(broken)('fails when the call is %s', (_name, find, replace, reason) => {
    const [f] = check(find, replace);
    expect(f).toMatchObject({ ok: false });
    expect(f!.message).toMatch(reason);
  });

  it('a conditional exit before the call and a call in a catch handler do not count as exits', () => {
    const findings = check('const loaded = loadConfig();', "const loaded = loadConfig();\ntry { void 0; } catch { fail('x', 1); }\nif (process.env.X) process.exit(3);");
    expect(findings.every((f) => f.ok)).toBe(true);
  });

  it('a region on a module anchor fails loudly, and the schema takes exactly one anchor kind', () => {
    const withRegion = parseSpecs([{ ...spec[0]!, region: { kind: 'not-cached-branch', map: 'm' } }]);
    const [f] = checkSpecs(withRegion, createSourceSet(REPO_ROOT, FILE));
    expect(f).toMatchObject({ ok: false, check: 'anchor', notLocated: true, message: expect.stringMatching(/needs a function anchor/) });
    expect(() => parseSpecs([{ ...spec[0]!, anchor: { entry: true, declaration: 'f' } }])).toThrow(/anchor: an anchor names exactly one/);
  });
});
