import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { parseJsonLine } from '../../app/core/json-line.ts';
import type { ProbeResult } from '../probes/probe-types.ts';

const CHILD = fileURLToPath(new URL('../probes/probe-child.ts', import.meta.url));

export type ChildOutcome = Map<string, ProbeResult[]>;

const ResultLine = z.object({
  root: z.string(),
  probes: z.array(
    z.object({ id: z.string(), ok: z.boolean(), reason: z.string(), evidence: z.record(z.string(), z.unknown()), durationMs: z.number() }),
  ),
});

const live = new Set<number>();
// A probe child starts service children of its own; whatever ends QA, none of them outlives it.
process.once('exit', () => {
  for (const pid of live) killGroup(pid);
});

/** The child leads its own process group, so one kill also reaches the services its probes started. */
function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

/**
 * Probes every root (optionally only some probes) in one child process. Roots with no result line when the budget runs out (a
 * mutant that hangs) are missing from the map: the caller reports them as timeouts.
 */
export function probeInChild(jobs: ReadonlyArray<{ root: string; only?: readonly string[] }>, cwd: string, budgetMs: number): Promise<ChildOutcome> {
  const out: ChildOutcome = new Map();
  if (jobs.length === 0) return Promise.resolve(out);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(jobs)], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const pid = child.pid;
    if (pid !== undefined) live.add(pid);
    let buf = '';
    // SIGKILL of the child alone would orphan a service its probe was running (seen: services left pushing for hours).
    const timer = setTimeout(() => pid !== undefined && killGroup(pid), budgetMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buf += chunk;
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const msg = parseJsonLine(line, ResultLine);
        // Anything else is not a result line (a mutant may log); ignore it.
        if (msg) out.set(msg.root, msg.probes);
      }
    });
    child.stderr.resume();
    child.on('close', () => {
      clearTimeout(timer);
      if (pid !== undefined) {
        // The child is gone; a service a hung probe left behind is not.
        killGroup(pid);
        live.delete(pid);
      }
      resolve(out);
    });
  });
}
