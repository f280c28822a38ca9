import type { MutantStatus } from './mutant-types.ts';
import { probeInChild, type ChildOutcome } from './probe-in-child.ts';

export type ProbeChild = (jobs: ReadonlyArray<{ root: string; only: readonly string[] }>, cwd: string, budgetMs: number) => Promise<ChildOutcome>;

/** One mutated copy of the tree (its dir names it) and the probes that cover the file it changed. */
export interface ProbeJob {
  dir: string;
  only: readonly string[];
}

export interface ProbeVerdict {
  status: Extract<MutantStatus, 'killed' | 'survived' | 'timeout'>;
  /** Probe ids that failed on the mutant and passed on the unmutated tree. */
  killedBy: string[];
  reason?: string;
}

export interface ProbeRoundOptions {
  /** The unmutated tree; its probe results decide which failures a mutant caused. */
  root: string;
  /** Real-time budget for each round's child; default 10 s plus 3 s per mutant in it. */
  budgetMs?: number;
  probeChild?: ProbeChild;
}

interface Judged {
  verdict: ProbeVerdict;
  /** For a survivor only: its probes that failed on the unmutated tree too, so could not tell. */
  blind: string[];
}

/**
 * Judges every job by its probes. A probe that fails on the unmutated tree kills nothing, and the usual
 * cause is a loaded machine (the service probe starting node, tsx and ccxt beside a dozen others), not the
 * tree. So the mutants it left blind get one more round with only those probes: a few processes instead of
 * dozens. Only a probe that is blind twice makes a survivor, and its reason says so.
 */
export async function judgeByProbes<J extends ProbeJob>(jobs: readonly J[], o: ProbeRoundOptions): Promise<Array<{ job: J; verdict: ProbeVerdict }>> {
  const first = await round(jobs, o);
  const second = await round(
    jobs.flatMap((j) => {
      const blind = first.get(j.dir)?.blind ?? [];
      return blind.length > 0 ? [{ dir: j.dir, only: blind }] : [];
    }),
    o,
  );
  return jobs.map((job) => {
    const judged = second.get(job.dir) ?? first.get(job.dir) ?? { verdict: timedOut, blind: [] };
    if (judged.blind.length === 0) return { job, verdict: judged.verdict };
    const twice = second.has(job.dir) ? ' in both rounds' : '';
    return { job, verdict: { ...judged.verdict, reason: `${judged.blind.join(', ')} failed on the unmutated tree too${twice}, so could not tell` } };
  });
}

const timedOut: ProbeVerdict = { status: 'timeout', killedBy: [], reason: 'the probe run did not finish in its budget' };

/** One child: the unmutated tree first, with every probe some job needs, then each mutated copy. */
async function round(jobs: readonly ProbeJob[], o: ProbeRoundOptions): Promise<Map<string, Judged>> {
  if (jobs.length === 0) return new Map();
  const needed = [...new Set(jobs.flatMap((j) => j.only))];
  const outcome = await (o.probeChild ?? probeInChild)([{ root: o.root, only: needed }, ...jobs.map((j) => ({ root: j.dir, only: j.only }))], o.root, o.budgetMs ?? 10_000 + 3_000 * jobs.length);
  const baseline = outcome.get(o.root);
  // No result for the unmutated tree (out of budget): none of its probes can tell.
  const baselineFailed = new Set(baseline ? baseline.filter((p) => !p.ok).map((p) => p.id) : needed);
  return new Map(
    jobs.map((j): [string, Judged] => {
      const probes = outcome.get(j.dir);
      if (!probes) return [j.dir, { verdict: timedOut, blind: [] }];
      const failed = probes.filter((p) => !p.ok).map((p) => p.id);
      const killedBy = failed.filter((id) => !baselineFailed.has(id));
      if (killedBy.length > 0) return [j.dir, { verdict: { status: 'killed', killedBy }, blind: [] }];
      return [j.dir, { verdict: { status: 'survived', killedBy }, blind: failed.filter((id) => baselineFailed.has(id)) }];
    }),
  );
}
