import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{app,checks,deploy,rollback,reports}/**/*.test.ts'],
    exclude: ['node_modules/**', 'reports/out/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // VPS tests boot real systemd guests; running their files in parallel on 2 cores only adds noise.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
