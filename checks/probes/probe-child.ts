import { runProbes } from './run-probes.ts';

/**
 * Child-process entry for probing mutated copies of app/: one process for many roots keeps node + tsx
 * start-up paid once. argv[2] is a JSON array of { root, only? }; one JSON line per root goes to stdout as
 * soon as that root is done. Roots run side by side: most probe time is spent waiting on a fake clock's
 * sleep or on a service process, and each root's modules are its own.
 */
const jobs = JSON.parse(process.argv[2] ?? '[]') as Array<{ root: string; only?: string[] }>;
await Promise.all(
  jobs.map(async ({ root, only }) => {
    const run = await runProbes({ root, ...(only ? { only } : {}) });
    process.stdout.write(`${JSON.stringify({ root, probes: run.probes })}\n`);
  }),
);
// A mutant may leave a sleep pending forever; the results are out, so leave.
process.exit(0);
