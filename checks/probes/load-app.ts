import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CleanupResult } from '../../app/manager/cleanup-result.ts';
import type * as CleanupModule from '../../app/cleanup/periodic-memory-cleanup.ts';
import type * as LinesModule from '../../app/cleanup/cleanup-lines.ts';
import type * as ConfigModule from '../../app/config/config-schema.ts';
import type * as ManagerModule from '../../app/manager/market-data-manager.ts';
import type * as FakeClockModule from '../../app/testing/fake-clock.ts';
import type * as FakeSourceModule from '../../app/testing/fake-market-source.ts';
import { RUNTIME_ENTRY } from '../runtime-files.ts';
import { findExports } from './find-exports.ts';

/**
 * The app modules a probe drives, loaded from a given root so that a mutated copy of app/ (in a temp
 * dir) is probed exactly like the real one. Types come from the real tree; values from `root`.
 */
export interface AppUnderProbe {
  /** The tree the values come from, and its service entry (root-relative). */
  root: string;
  entry: string;
  /** The log-line contract (docs/leak-history-and-log-contract.md) as the app exports it. */
  lines: Pick<typeof LinesModule, 'STARTUP_LINE_RE' | 'NEXT_CLEANUP_RE' | 'TASK_STARTED_RE'>;
  periodicMemoryCleanup: typeof CleanupModule.periodicMemoryCleanup;
  MarketDataManager: typeof ManagerModule.MarketDataManager;
  configSchema: typeof ConfigModule.configSchema;
  FakeClock: typeof FakeClockModule.FakeClock;
  FakeMarketSource: typeof FakeSourceModule.FakeMarketSource;
  minuteCandles: typeof FakeSourceModule.minuteCandles;
  oiPoints: typeof FakeSourceModule.oiPoints;
}

export type { CleanupResult };

/** A module of the app under `root`, typed as the real tree's. */
export const load = <T>(root: string, rel: string) => import(pathToFileURL(path.join(root, rel)).href) as Promise<T>;

/** What each module is loaded for: the first name it must export. */
const MODULE_OF = {
  cleanup: 'periodicMemoryCleanup',
  manager: 'MarketDataManager',
  config: 'configSchema',
  clock: 'FakeClock',
  source: 'FakeMarketSource',
  lines: 'STARTUP_LINE_RE',
} as const;

export async function loadApp(root: string): Promise<AppUnderProbe> {
  const where = findExports(root, Object.values(MODULE_OF));
  const at = (name: string) => {
    const rel = where.get(name);
    if (rel === undefined) throw new Error(`no file of app/ exports ${name}`);
    return rel;
  };
  const [cleanup, manager, config, clock, source, lines] = await Promise.all([
    load<typeof CleanupModule>(root, at(MODULE_OF.cleanup)),
    load<typeof ManagerModule>(root, at(MODULE_OF.manager)),
    load<typeof ConfigModule>(root, at(MODULE_OF.config)),
    load<typeof FakeClockModule>(root, at(MODULE_OF.clock)),
    load<typeof FakeSourceModule>(root, at(MODULE_OF.source)),
    load<typeof LinesModule>(root, at(MODULE_OF.lines)),
  ]);
  return {
    root,
    entry: RUNTIME_ENTRY,
    lines: { STARTUP_LINE_RE: lines.STARTUP_LINE_RE, NEXT_CLEANUP_RE: lines.NEXT_CLEANUP_RE, TASK_STARTED_RE: lines.TASK_STARTED_RE },
    periodicMemoryCleanup: cleanup.periodicMemoryCleanup,
    MarketDataManager: manager.MarketDataManager,
    configSchema: config.configSchema,
    FakeClock: clock.FakeClock,
    FakeMarketSource: source.FakeMarketSource,
    minuteCandles: source.minuteCandles,
    oiPoints: source.oiPoints,
  };
}
