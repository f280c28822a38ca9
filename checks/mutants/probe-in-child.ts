import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeResult } from '../probes/probe-types.ts';

const CHILD = fileURLToPath(new URL('../probes/probe-child.ts', import.meta.url));

export type ChildOutcome = Map<string, ProbeResult[]>;

/**
 * Probes every root (optionally only some probes) in one child process. Roots with no result line when the budget runs out (a
 * mutant that hangs) are missing from the map: the caller reports them as timeouts.
 */
export function probeInChild(jobs: ReadonlyArray<{ root: string; only?: readonly string[] }>, cwd: string, budgetMs: number): Promise<ChildOutcome> {
  const out: ChildOutcome = new Map();
  if (jobs.length === 0) return Promise.resolve(out);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(jobs)], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), budgetMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const msg = JSON.parse(line) as { root: string; probes: ProbeResult[] };
          out.set(msg.root, msg.probes);
        } catch {
          // Not a result line (a mutant may log); ignore it.
        }
      }
    });
    child.stderr.resume();
    child.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}
