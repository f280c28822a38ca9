import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { CleanupResult } from '../../app/manager/cleanup-result.ts';
import type * as CleanupModule from '../../app/cleanup/periodic-memory-cleanup.ts';
import type * as ConfigModule from '../../app/config/config-schema.ts';
import type * as ManagerModule from '../../app/manager/market-data-manager.ts';
import type * as FakeClockModule from '../../app/testing/fake-clock.ts';
import type * as FakeSourceModule from '../../app/testing/fake-market-source.ts';
import { RUNTIME_ENTRY } from '../runtime-files.ts';
import { findExports } from './find-exports.ts';

/**
 * The app modules a probe drives, loaded from a given root so that a mutated copy of app/ (in a temp
 * dir) is probed exactly like the real one. Types come from the real tree; values from `root`, checked
 * against a schema of the exports each probe calls, so a copy that lost or renamed one fails by name.
 */
export interface AppUnderProbe {
  /** The tree the values come from, and its service entry (root-relative). */
  root: string;
  entry: string;
  /** The log-line contract (docs/leak-history-and-log-contract.md) as the app exports it. */
  lines: { STARTUP_LINE_RE: RegExp; NEXT_CLEANUP_RE: RegExp; TASK_STARTED_RE: RegExp };
  periodicMemoryCleanup: typeof CleanupModule.periodicMemoryCleanup;
  MarketDataManager: typeof ManagerModule.MarketDataManager;
  configSchema: typeof ConfigModule.configSchema;
  FakeClock: typeof FakeClockModule.FakeClock;
  FakeMarketSource: typeof FakeSourceModule.FakeMarketSource;
  minuteCandles: typeof FakeSourceModule.minuteCandles;
  oiPoints: typeof FakeSourceModule.oiPoints;
}

export type { CleanupResult };

/**
 * An export the probe calls: a function (or class) at run time, typed as the real tree declares it. The
 * type is taken on trust from the real tree, the only place it can come from; the check is that the
 * value is callable, which is what a mutant or a broken copy can break.
 */
export const callable = <T>(name: string) => z.custom<T>((v) => typeof v === 'function', `${name} is not a function`);
const parser = <T>(name: string) =>
  z.custom<T>((v) => typeof v === 'object' && v !== null && 'safeParse' in v && typeof v.safeParse === 'function', `${name} is not a zod schema`);

const LinesExports = z.object({ STARTUP_LINE_RE: z.instanceof(RegExp), NEXT_CLEANUP_RE: z.instanceof(RegExp), TASK_STARTED_RE: z.instanceof(RegExp) });
const CleanupExports = z.object({ periodicMemoryCleanup: callable<typeof CleanupModule.periodicMemoryCleanup>('periodicMemoryCleanup') });
const ManagerExports = z.object({ MarketDataManager: callable<typeof ManagerModule.MarketDataManager>('MarketDataManager') });
const ConfigExports = z.object({ configSchema: parser<typeof ConfigModule.configSchema>('configSchema') });
const ClockExports = z.object({ FakeClock: callable<typeof FakeClockModule.FakeClock>('FakeClock') });
const SourceExports = z.object({
  FakeMarketSource: callable<typeof FakeSourceModule.FakeMarketSource>('FakeMarketSource'),
  minuteCandles: callable<typeof FakeSourceModule.minuteCandles>('minuteCandles'),
  oiPoints: callable<typeof FakeSourceModule.oiPoints>('oiPoints'),
});

/** The module at `rel` under `root`, its exports checked by `schema`; a missing export names itself. */
export async function load<T>(root: string, rel: string, schema: z.ZodType<T>): Promise<T> {
  const module: unknown = await import(pathToFileURL(path.join(root, rel)).href);
  const parsed = schema.safeParse(module);
  if (!parsed.success) throw new Error(`${rel}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

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
    load(root, at(MODULE_OF.cleanup), CleanupExports),
    load(root, at(MODULE_OF.manager), ManagerExports),
    load(root, at(MODULE_OF.config), ConfigExports),
    load(root, at(MODULE_OF.clock), ClockExports),
    load(root, at(MODULE_OF.source), SourceExports),
    load(root, at(MODULE_OF.lines), LinesExports),
  ]);
  return { root, entry: RUNTIME_ENTRY, lines, ...cleanup, ...manager, ...config, ...clock, ...source };
}
