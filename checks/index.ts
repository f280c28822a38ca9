/**
 * The public API of checks/ for the QA run (checks/qa.ts) and reports/. Everything returns values;
 * nothing prints.
 */
export { runStaticChecks, type StaticOptions, type StaticRun } from './engine/run-static.ts';
export { runMutants, mutationScore, survivors, type MutantOptions } from './mutants/run-mutants.ts';
export type { MutantResult, MutationRun, RewriteResult, MutantDef, RewriteDef } from './mutants/mutant-types.ts';
export { runProbes, PROBES, probesFor } from './probes/run-probes.ts';
export type { ProbeResult, ProbeRun } from './probes/probe-types.ts';
export { runtimeFileSet, importClosure, RUNTIME_ENTRY } from './runtime-files.ts';
export { bundleFileSet } from './bundle-file-set.ts';
export { toSarif, type SarifLog, type SarifRuleMeta } from './engine/sarif.ts';
export type { Finding } from './engine/finding.ts';
export type { Spec, SpecInput } from './engine/spec-schema.ts';
export { parseSpecs } from './engine/spec-schema.ts';
export { appSpecs, appMutants, FIXES, FIX_IDS, type FixId } from './fixes/index.ts';
export { failedSpecIds } from './engine/run-specs.ts';
