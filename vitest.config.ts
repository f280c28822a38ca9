import { readFileSync } from 'node:fs';
import { globSync } from 'tinyglobby';
import { defineConfig } from 'vitest/config';

// A test file joins the slow tier by saying so in its first lines: `// @module-tag e2e` (vitest's own
// file tag, so `--tags-filter` agrees). The projects are split here, from the tag, so the unit tier never
// even imports an e2e file, and a file cannot drift between tiers by being renamed.
const E2E_TAG = /^\s*\/\/\s*@module-tag\s+e2e\b/m;
const include = ['{app,checks,deploy,rollback,reports}/**/*.test.ts'];
const exclude = ['node_modules/**', 'reports/out/**', '**/testing/fixtures/**'];
const e2eFiles = globSync(include, { ignore: exclude }).filter((file) => E2E_TAG.test(readFileSync(file, 'utf8')));

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  tags: [{ name: 'e2e', description: 'spawns processes, boots test VPSes, runs the service, QA or a soak' }],
};

export default defineConfig({
  test: {
    // Two files at a time: the e2e tier's VPS boots and soaks need a core each on the 2-core machine.
    maxWorkers: 2,
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include,
          exclude: [...exclude, ...e2eFiles],
          // An untagged file that spawns a process fails at once and names the tag it needs.
          setupFiles: ['app/testing/unit-tier-guard.ts'],
        },
      },
      { test: { ...shared, name: 'e2e', include: e2eFiles.length > 0 ? e2eFiles : ['<none>'], exclude } },
    ],
  },
});
