import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStaticChecks } from '../engine/run-static.ts';
import { parseSpecs, type SpecInput } from '../engine/spec-schema.ts';

/** The repository root: fixtures are addressed root-relative, like app/ files are. */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const FIXTURES = 'checks/testing/fixtures';

export const limitTrimStore = [{ call: 'this.limitOf', as: 'limit' }, { call: '.slice', as: 'trim' }, { call: 'this.m.set', as: 'store' }];

/** A spec over a fixture; `over` replaces any field. */
export function fixtureSpec(over: Partial<SpecInput> & Pick<SpecInput, 'file' | 'assert'>): SpecInput {
  return { id: 'fixture', title: 'fixture', severity: 'critical', why: 'test', ...over };
}

export function checkFixture(over: Partial<SpecInput> & Pick<SpecInput, 'file' | 'assert'>) {
  return runStaticChecks({ root: REPO_ROOT, specs: parseSpecs([fixtureSpec(over)]) }).findings;
}

/** The limit → trim → store spec on one method of a store fixture. */
export function storeSpec(file: string, cls: string, method: string, map = 'm'): SpecInput {
  return fixtureSpec({
    id: `${cls}-${method}`.toLowerCase(),
    file: `${FIXTURES}/${file}`,
    anchor: { class: cls, method },
    region: { kind: 'not-cached-branch', map },
    assert: [
      { kind: 'dominates', steps: limitTrimStore, at: 1 },
      { kind: 'flows-into', from: { call: '.slice', as: 'trim' }, to: { call: 'this.m.set', as: 'store' } },
    ],
  });
}
