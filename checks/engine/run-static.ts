import { appSpecs } from '../fixes/index.ts';
import type { Finding } from './finding.ts';
import { checkSpecs } from './run-specs.ts';
import { sourceSetFor } from './source-set.ts';
import type { Spec } from './spec-schema.ts';

export interface StaticRun {
  findings: Finding[];
  specs: Spec[];
  durationMs: number;
}

export interface StaticOptions {
  root: string;
  specs?: readonly Spec[];
  /** Where the walk starts when not package.json's scripts.start (the engine's fixtures). */
  entry?: string;
  /** Root-relative path → text, read instead of the disk (mutants). */
  overlay?: ReadonlyMap<string, string>;
}

/** All static checks on `root`; failures are findings, never throws for a broken app. */
export function runStaticChecks(o: StaticOptions): StaticRun {
  const started = performance.now();
  const specs = [...(o.specs ?? appSpecs)];
  const sources = sourceSetFor(o.root, o.entry);
  if (o.overlay) sources.setOverlay(o.overlay);
  const findings = checkSpecs(specs, sources);
  return { findings, specs, durationMs: performance.now() - started };
}
