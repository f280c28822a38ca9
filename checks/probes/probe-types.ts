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

export type ProbeBody = () => Promise<{ ok: boolean; reason: string; evidence: Record<string, unknown> }>;
