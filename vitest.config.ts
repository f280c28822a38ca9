import { readFileSync } from 'node:fs';
import { globSync } from 'tinyglobby';
import { defineConfig } from 'vitest/config';

// A test file joins a slow tier by saying so in its first lines, with vitest's own file tag, so
// `--tags-filter` agrees: `// @module-tag e2e` (it spawns processes: the service, QA, a soak) and, when
// it boots test VPSes, `// @module-tag vps` as well. The projects are split here, from the tags, so the
// unit tier never even imports a slow file, and a file cannot drift between tiers by being renamed.
const TAG = /^\s*(?:\/\/|\*)\s*@module-tag\s+([\w\-/]+)\b/gm;
const include = ['{app,checks,deploy,rollback,reports}/**/*.test.ts'];
const exclude = ['node_modules/**', 'reports/out/**', '**/testing/fixtures/**'];
const tagged = globSync(include, { ignore: exclude }).map((file) => ({ file, tags: [...readFileSync(file, 'utf8').matchAll(TAG)].map((m) => m[1]) }));
const vpsFiles = tagged.filter((t) => t.tags.includes('vps')).map((t) => t.file);
const e2eFiles = tagged.filter((t) => t.tags.includes('e2e') && !t.tags.includes('vps')).map((t) => t.file);
const some = (files: string[]) => (files.length > 0 ? files : ['<none>']);

const shared = {
  testTimeout: 30_000,
  hookTimeout: 60_000,
  tags: [
    { name: 'e2e', description: 'spawns processes: the service, QA or a soak' },
    { name: 'vps', description: 'boots test VPSes (systemd-nspawn) and deploys to them over SSH' },
  ],
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'unit',
          include,
          exclude: [...exclude, ...e2eFiles, ...vpsFiles],
          // An untagged file that spawns a process fails at once and names the tag it needs.
          setupFiles: ['app/testing/unit-tier-guard.ts'],
          // Two files at a time beside the e2e tier: its soaks and QA runs need a core each on 2 cores.
          maxWorkers: 2,
        },
      },
      { test: { ...shared, name: 'e2e', include: some(e2eFiles), exclude, maxWorkers: 2 } },
      // After the CPU-bound tiers, on their own: a VPS test mostly waits (boots, restarts, proof and revert
      // windows, watches), so three overlap on 2 cores without slowing what they time.
      { test: { ...shared, name: 'vps', include: some(vpsFiles), exclude, maxWorkers: 3, sequence: { groupOrder: 1 } } },
    ],
  },
});
