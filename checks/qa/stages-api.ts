import type { ProbeResult } from '../../reports/schemas/qa-result.ts';
import type { EquivalentOutcome, FindingLike, MutantOutcome, SpecMeta } from './assemble.ts';

/**
 * What the QA run needs from the checks: the producers live in checks/index.ts (engineer "checks").
 * Kept as an interface so the run can be tested with stand-ins and fails loudly if an export is missing.
 */
export interface StaticOutput {
  specs: readonly SpecMeta[];
  findings: readonly FindingLike[];
}
export interface MutantsOutput {
  mutants: readonly MutantOutcome[];
  equivalents: readonly EquivalentOutcome[];
}
export interface ChecksApi {
  runStaticChecks(o: { root: string }): StaticOutput | Promise<StaticOutput>;
  runMutants(o: { root: string }): MutantsOutput | Promise<MutantsOutput>;
  runProbes(o: { root: string }): readonly ProbeResult[] | Promise<readonly ProbeResult[]>;
  runtimeFileSet(root: string): string[];
}

const REQUIRED = ['runStaticChecks', 'runMutants', 'runProbes', 'runtimeFileSet'] as const;

/** Loads checks/index.ts; a missing export is an internal error with the export's name. */
export async function loadChecksApi(): Promise<{ ok: true; api: ChecksApi } | { ok: false; reason: string }> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(new URL('../index.ts', import.meta.url).href)) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, reason: `cannot load checks/index.ts: ${(error as Error).message}` };
  }
  const missing = REQUIRED.filter((name) => typeof mod[name] !== 'function');
  if (missing.length) return { ok: false, reason: `checks/index.ts does not export ${missing.join(', ')}` };
  return { ok: true, api: mod as unknown as ChecksApi };
}
