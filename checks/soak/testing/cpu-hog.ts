import { spawn, type ChildProcess } from 'node:child_process';

export interface CpuHog {
  /** Stops every busy child and resolves with the CPU seconds each one burnt. */
  stop(): Promise<number[]>;
}

/**
 * Each child spins in 50 ms slices, yielding between them only so that SIGTERM can reach it, and
 * reports its CPU time as it exits. `maxS` bounds it if nobody stops it.
 */
const BUSY_CHILD = `
const end = Date.now() + Number(process.argv[1]) * 1000;
const report = () => { const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1e6)); process.exit(0); };
process.on('SIGTERM', report);
const spin = () => {
  const slice = Date.now() + 50;
  while (Date.now() < slice) {}
  if (Date.now() < end) setImmediate(spin); else report();
};
spin();
`;

/** Two (or `processes`) busy-loop Node children: the CPU load the soak must not feel in its verdict. */
export function startCpuHog(o: { processes?: number; maxS: number }): CpuHog {
  const children: ChildProcess[] = Array.from({ length: o.processes ?? 2 }, () =>
    spawn(process.execPath, ['-e', BUSY_CHILD, String(o.maxS)], { stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  const reports = children.map(
    (child) =>
      new Promise<number>((resolve) => {
        let out = '';
        child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
        child.on('close', () => resolve(Number(out) || 0));
      }),
  );
  return {
    stop: () => {
      for (const child of children) child.kill('SIGTERM');
      return Promise.all(reports);
    },
  };
}
