import type { FixId } from '../fixes/index.ts';
import type { AppUnderProbe } from './load-app.ts';

export interface ProbeResult {
  id: string;
  ok: boolean;
  reason: string;
  evidence: Record<string, unknown>;
  durationMs: number;
}

export interface ProbeRun {
  probes: ProbeResult[];
  durationMs: number;
}

export interface ProbeOutcome {
  ok: boolean;
  reason: string;
  evidence: Record<string, unknown>;
}

/** In-process probes on a fake clock finish synchronously; the child-process ones are async. */
export type ProbeBody = () => ProbeOutcome | Promise<ProbeOutcome>;

export interface ProbeDef {
  id: string;
  /** The fixes it exercises at run time. */
  specIds: readonly FixId[];
  /**
   * The files whose mutants it is run against (coverage, as Stryker uses it): files it executes, so a mutant
   * of another file cannot change its outcome. The child-process probes list only what no in-process probe
   * reaches, so the mutant run does not start a service per manager mutant.
   */
  covers: readonly string[];
  make: (app: AppUnderProbe) => ProbeBody;
  /** Default PROBE_TIMEOUT_MS; probes that start a child process need longer. */
  timeoutMs?: number;
  /** Waits on a process or sockets of its own, in real time: started alongside the in-process probes, which run one at a time. */
  spawns?: boolean;
}
