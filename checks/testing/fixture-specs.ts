import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runStaticChecks } from '../engine/run-static.ts';
import { parseSpecs, type SpecInput } from '../engine/spec-schema.ts';

/** The repository root: fixtures are addressed root-relative, like app/ files are. */
export const REPO_ROOT = path.resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const FIXTURES = 'checks/testing/fixtures';
/** Imports every fixture: the engine walks from it as it walks from the service entry. */
export const FIXTURE_ENTRY = `${FIXTURES}/index.ts`;

export const limitTrimStore = [{ call: 'this.limitOf', as: 'limit' }, { call: '.slice', as: 'trim' }, { call: 'this.m.set', as: 'store' }];

/** A spec over a fixture; `over` replaces any field. */
export function fixtureSpec(over: Partial<SpecInput> & Pick<SpecInput, 'assert'>): SpecInput {
  return { id: 'fixture', title: 'fixture', severity: 'critical', why: 'test', ...over };
}

export function checkFixture(over: Partial<SpecInput> & Pick<SpecInput, 'assert'>) {
  return runStaticChecks({ root: REPO_ROOT, entry: FIXTURE_ENTRY, specs: parseSpecs([fixtureSpec(over)]) }).findings;
}

/** The limit → trim → store spec on one method of a store fixture. */
export function storeSpec(cls: string, method: string, map = 'm'): SpecInput {
  return fixtureSpec({
    id: `${cls}-${method}`.toLowerCase(),
    anchor: { declaration: `${cls}#${method}` },
    region: { kind: 'not-cached-branch', map },
    assert: [
      { kind: 'dominates', steps: limitTrimStore, at: 1 },
      { kind: 'flows-into', from: { call: '.slice', as: 'trim' }, to: { call: 'this.m.set', as: 'store' } },
    ],
  });
}
