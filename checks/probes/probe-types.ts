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
  make: (app: AppUnderProbe) => ProbeBody;
  /** Default PROBE_TIMEOUT_MS; probes that start a child process need longer. */
  timeoutMs?: number;
  /** Waits on a process or sockets of its own, in real time: started alongside the in-process probes, which run one at a time. */
  spawns?: boolean;
}
