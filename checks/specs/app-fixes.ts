import { parseSpecs, type SpecInput } from '../engine/spec-schema.ts';

/**
 * Where each memory-leak fix lives in app/ and in what order it runs. Data only: the engine turns each
 * into findings, the mutants prove each has teeth. Step names are the contract with app/ (team brief).
 */

const MANAGER = 'app/manager/market-data-manager.ts';
const manager = (method: string) => ({ class: 'MarketDataManager', method });

const boundedSeries = (id: string, method: string, limit: string, title: string, severity: 'critical' | 'major' | 'minor', why: string): SpecInput => ({
  id,
  title,
  severity,
  why,
  file: MANAGER,
  anchor: manager(method),
  assert: [
    { kind: 'dominates', steps: [{ read: limit }, { call: 'listFor' }, { call: 'appendNewer' }, { call: 'list.trimTo' }], at: 3 },
    { kind: 'flows-into', from: { read: limit }, to: { call: 'list.trimTo' } },
  ],
});

export const appFixSpecs: SpecInput[] = [
  {
    id: 'ohlcv-initial-trim',
    title: 'First insert of a new timeframe is trimmed to its limit before it is stored',
    severity: 'critical',
    why: 'The original skipped the size check on the first insert of a timeframe, so a 5,000-row backfill was kept whole.',
    file: MANAGER,
    anchor: manager('storeOhlcv'),
    region: { kind: 'not-cached-branch', map: 'ohlcv' },
    assert: [
      { kind: 'dominates', steps: [{ call: 'this.ohlcvLimit' }, { call: '.slice', label: 'the trim (.slice)' }, { call: 'this.ohlcv.set' }], at: 1 },
      { kind: 'flows-into', from: { call: 'this.ohlcvLimit' }, to: { call: '.slice', label: 'the trim (.slice)' } },
      { kind: 'flows-into', from: { call: '.slice', label: 'the trim (.slice)' }, to: { call: 'this.ohlcv.set' } },
    ],
  },
  {
    id: 'ohlcv-merge-trim',
    title: 'Every merge into a cached timeframe is followed by a trim to the limit',
    severity: 'critical',
    why: 'The original grew OHLCV frames by concat + dedupe + sort with no trim: about 220 MB/min, a crash in about 30 min.',
    file: MANAGER,
    anchor: manager('storeOhlcv'),
    region: { kind: 'cached-branch', map: 'ohlcv' },
    assert: [
      { kind: 'dominates', steps: [{ call: '.appendMany', label: 'the merge (.appendMany)' }, { call: 'store.trimTo' }], at: 1 },
      { kind: 'flows-into', from: { call: 'this.ohlcvLimit' }, to: { call: 'store.trimTo' } },
    ],
  },
  boundedSeries(
    'oi-history-bounded',
    'storeOpenInterestHistory',
    'this.config.limits.oiHistory',
    'Open-interest history is trimmed to its bound (288) on every write',
    'critical',
    'Open-interest history is appended every refresh for every symbol; without a bound it grows for the life of the process.',
  ),
  boundedSeries(
    'trades-bounded',
    'storeTrades',
    'this.config.limits.trades',
    'Recent trades are trimmed to their bound on every write',
    'major',
    'Trades arrive on every WebSocket push; an unbounded list is the fastest-growing structure after OHLCV.',
  ),
  boundedSeries(
    'liquidations-bounded',
    'storeLiquidations',
    'this.config.limits.liquidations',
    'Liquidations are trimmed to their bound on every write',
    'major',
    'Liquidation bursts come in thousands during a cascade; each symbol keeps only its bound.',
  ),
  {
    id: 'cleanup-result-shape',
    title: 'The cleanup reports what it trimmed and the memory before and after',
    severity: 'major',
    why: 'The startup log line (the deploy proof) and the metrics need measured counts and RSS before and after, not a bare "done".',
    file: MANAGER,
    anchor: manager('runMemoryCleanupSync'),
    assert: [
      {
        kind: 'return-shape',
        keys: ['ohlcvTrimmed', 'oiTrimmed', 'evicted', 'gcRan', 'memoryBeforeMb', 'memoryAfterMb', 'durationMs', 'gcMs'],
      },
      {
        kind: 'dominates',
        steps: [
          { call: 'this.memory.rssMb', label: 'memory before' },
          { call: 'this.evictUntracked', label: 'the eviction' },
          { call: 'this.memory.rssMb', label: 'memory after' },
        ],
      },
    ],
  },
  {
    id: 'cleanup-immediate-then-periodic',
    title: 'Memory cleanup runs immediately at startup, then again after every interval until shutdown',
    severity: 'critical',
    why: 'The first cleanup used to wait 10 minutes; after that fix the loop exited right after the startup run because its `while running` flag was still false.',
    file: 'app/cleanup/periodic-memory-cleanup.ts',
    anchor: { function: 'periodicMemoryCleanup' },
    assert: [
      { kind: 'call-before-loop-and-after-sleep', call: { call: 'cleanup', viaLocalHelper: true }, sleep: { call: 'clock.sleep', awaited: true } },
      { kind: 'loop-runs-while-service-runs', loopHolding: { call: 'clock.sleep' }, onBareFlag: 'fail', probe: 'periodic-cleanups-continue' },
    ],
  },
  {
    id: 'cleanup-started-after-manager',
    title: 'The service starts the cleanup task with the manager, after the manager exists',
    severity: 'critical',
    why: 'A later bug started the cleanup task on an object that was still undefined, so it never ran and the startup line never appeared.',
    file: 'app/service/start-service.ts',
    anchor: { function: 'startService' },
    assert: [
      {
        kind: 'call-after-creation',
        creation: { new: 'MarketDataManager' },
        call: { call: 'periodicMemoryCleanup' },
        allowedGuards: ['cleanup'],
      },
    ],
  },
  {
    id: 'entry-starts-service',
    title: 'The service entry starts the service, and with it the cleanup task, whenever it runs',
    severity: 'critical',
    why: 'startService creating the manager and then the task proves nothing if app/main.ts does not call it at its top level: behind a flag, after an early exit or deleted, the startup line never appears.',
    file: 'app/main.ts',
    anchor: { module: true },
    assert: [{ kind: 'runs-unconditionally', step: { call: 'startService' } }],
  },
  {
    id: 'runtime-dependencies',
    title: 'Every package the service imports at run time is in dependencies',
    severity: 'major',
    why: 'Hosts install with --omit=dev; a runtime import of a devDependency (the original once relied on psutil being there) crashes on start.',
    file: 'package.json',
    assert: [{ kind: 'dependency-hygiene', entry: 'app/main.ts', require: ['tsx'] }],
  },
];

export const appSpecs = parseSpecs(appFixSpecs);
