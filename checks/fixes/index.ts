import { parseSpecs } from '../engine/spec-schema.ts';
import type { MutantDef } from '../mutants/mutant-types.ts';
import type { ProbeDef } from '../probes/probe-types.ts';
import cleanupImmediateThenPeriodic from './cleanup-immediate-then-periodic.ts';
import cleanupResultShape from './cleanup-result-shape.ts';
import cleanupStartedAfterManager from './cleanup-started-after-manager.ts';
import type { FixModule } from './define-fix.ts';
import entryStartsService from './entry-starts-service.ts';
import liquidationsBounded from './liquidations-bounded.ts';
import ohlcvInitialTrim from './ohlcv-initial-trim.ts';
import ohlcvMergeTrim from './ohlcv-merge-trim.ts';
import oiHistoryBounded from './oi-history-bounded.ts';
import runtimeDependencies from './runtime-dependencies.ts';
import tradesBounded from './trades-bounded.ts';
import unwatchPurgesDelisted from './unwatch-purges-delisted.ts';

/**
 * The registry: every fix id, and its module. A misspelt id anywhere (a probe's specIds, a spec's probe,
 * a test) fails `tsc`, and so does a fix listed here without its module or the other way round.
 */
export const FIX_IDS = [
  'ohlcv-initial-trim',
  'ohlcv-merge-trim',
  'oi-history-bounded',
  'trades-bounded',
  'liquidations-bounded',
  'cleanup-result-shape',
  'cleanup-immediate-then-periodic',
  'cleanup-started-after-manager',
  'entry-starts-service',
  'runtime-dependencies',
  'unwatch-purges-delisted',
] as const satisfies readonly string[];
export type FixId = (typeof FIX_IDS)[number];

const MODULES = {
  'ohlcv-initial-trim': ohlcvInitialTrim,
  'ohlcv-merge-trim': ohlcvMergeTrim,
  'oi-history-bounded': oiHistoryBounded,
  'trades-bounded': tradesBounded,
  'liquidations-bounded': liquidationsBounded,
  'cleanup-result-shape': cleanupResultShape,
  'cleanup-immediate-then-periodic': cleanupImmediateThenPeriodic,
  'cleanup-started-after-manager': cleanupStartedAfterManager,
  'entry-starts-service': entryStartsService,
  'runtime-dependencies': runtimeDependencies,
  'unwatch-purges-delisted': unwatchPurgesDelisted,
} as const satisfies { [K in FixId]: FixModule };

export const FIXES: readonly FixModule[] = FIX_IDS.map((id) => {
  const m = MODULES[id];
  if (m.id !== id) throw new Error(`fix module registered as ${id} declares id ${m.id}`);
  return m;
});

export const appSpecs = parseSpecs(FIXES.map((f) => f.spec));
export const appMutants: readonly MutantDef[] = FIXES.flatMap((f) => f.mutants);
export const PROBES: readonly ProbeDef[] = FIXES.flatMap((f) => f.probes);
