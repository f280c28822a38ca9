import { PRIORITY } from './refresh-jobs.ts';
import type { JobLagStats } from './refresh-scheduler.ts';

const CLASS_OF = new Map<number, string>(Object.entries(PRIORITY).map(([name, p]) => [p, name]));

export interface Degradation {
  /** The most important priority class (live, recent, history) with a late job; null while all keep time. */
  level: string | null;
  /** Jobs behind their interval now or in their last pass, most important first. */
  lateJobs: string[];
}

/** What a short REST budget is costing: the scheduler serves by priority, so history should go late first. */
export function degradation(jobs: readonly JobLagStats[]): Degradation {
  const late = jobs.filter((j) => j.lagMs > 0 || j.lastPassLagMs > 0).sort((a, b) => a.priority - b.priority);
  const top = late[0];
  return { level: top === undefined ? null : (CLASS_OF.get(top.priority) ?? `priority ${top.priority}`), lateJobs: late.map((j) => j.job) };
}
