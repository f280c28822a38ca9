import type { Step } from '../engine/spec-schema.ts';
import type { MutantDef, RewriteDef } from './mutant-types.ts';

/**
 * The mutants that prove each app spec has teeth, as data. Static ones break the structure the spec
 * describes; probe ones keep it and change only behaviour, so a runtime probe must catch them.
 */

const limit: Step = { call: 'this.ohlcvLimit' };
const trim: Step = { call: '.slice' };
const store: Step = { call: 'this.ohlcv.set' };
const merge: Step = { call: '.appendMany' };
const mergeTrim: Step = { call: 'store.trimTo' };
const listTrim: Step = { call: 'list.trimTo' };
const append: Step = { call: 'appendNewer' };
const cleanup: Step = { call: 'cleanup', viaLocalHelper: true };
const sleep: Step = { call: 'clock.sleep' };
const awaitSleep: Step = { call: 'clock.sleep', awaited: true };
const created: Step = { new: 'MarketDataManager' };
const startTask: Step = { call: 'periodicMemoryCleanup' };
const startSvc: Step = { call: 'startService' };
const loadConfig: Step = { call: 'loadConfig' };

const s = (specId: string, id: string, operation: MutantDef['operation']): MutantDef => ({ id: `${specId}/${id}`, specId, operation, killer: 'static' });

export const staticMutants: MutantDef[] = [
  s('ohlcv-initial-trim', 'delete-trim', { op: 'delete-statement', target: { step: trim } }),
  s('ohlcv-initial-trim', 'delete-limit', { op: 'delete-statement', target: { step: limit } }),
  s('ohlcv-initial-trim', 'swap-trim-store', { op: 'swap-order', target: { step: trim }, other: { step: store } }),
  s('ohlcv-initial-trim', 'trim-if-false', { op: 'wrap-if-false', target: { step: trim } }),
  s('ohlcv-initial-trim', 'return-before-store', { op: 'insert-early-return', after: { step: trim } }),
  s('ohlcv-initial-trim', 'empty-branch', { op: 'empty-branch', target: { step: store } }),
  s('ohlcv-initial-trim', 'rename-method', { op: 'rename-anchor' }),
  s('ohlcv-initial-trim', 'store-untrimmed', { op: 'replace-text', find: 'this.createOhlcvStore(trimmed, limit)', replace: 'this.createOhlcvStore(rows, limit)' }),
  s('ohlcv-merge-trim', 'delete-trim', { op: 'delete-statement', target: { step: mergeTrim } }),
  s('ohlcv-merge-trim', 'swap-merge-trim', { op: 'swap-order', target: { step: merge }, other: { step: mergeTrim } }),
  s('ohlcv-merge-trim', 'trim-if-false', { op: 'wrap-if-false', target: { step: mergeTrim } }),
  s('ohlcv-merge-trim', 'return-before-trim', { op: 'insert-early-return', after: { step: merge } }),
  s('oi-history-bounded', 'delete-trim', { op: 'delete-statement', target: { step: listTrim } }),
  s('oi-history-bounded', 'swap-append-trim', { op: 'swap-order', target: { step: append }, other: { step: listTrim } }),
  s('oi-history-bounded', 'trim-if-false', { op: 'wrap-if-false', target: { step: listTrim } }),
  s('oi-history-bounded', 'return-before-trim', { op: 'insert-early-return', after: { step: append } }),
  s('oi-history-bounded', 'rename-method', { op: 'rename-anchor' }),
  s('trades-bounded', 'delete-trim', { op: 'delete-statement', target: { step: listTrim } }),
  s('trades-bounded', 'trim-if-false', { op: 'wrap-if-false', target: { step: listTrim } }),
  s('liquidations-bounded', 'delete-trim', { op: 'delete-statement', target: { step: listTrim } }),
  s('liquidations-bounded', 'return-before-trim', { op: 'insert-early-return', after: { step: append } }),
  s('cleanup-result-shape', 'rename-method', { op: 'rename-anchor' }),
  s('cleanup-result-shape', 'memory-before-after-work', { op: 'swap-order', target: { step: { call: 'this.memory.rssMb' } }, other: { step: { call: 'this.evictUntracked' } } }),
  s('cleanup-result-shape', 'drop-evicted-key', { op: 'replace-text', find: '      evicted,\n      gcRan', replace: '      gcRan' }),
  s('cleanup-immediate-then-periodic', 'delete-startup-cleanup', { op: 'delete-statement', target: { step: cleanup } }),
  s('cleanup-immediate-then-periodic', 'startup-cleanup-after-loop', { op: 'move-after-loop', target: { step: cleanup }, loop: sleep }),
  s('cleanup-immediate-then-periodic', 'startup-cleanup-into-loop', { op: 'move-into-loop', target: { step: cleanup }, loop: sleep }),
  s('cleanup-immediate-then-periodic', 'startup-cleanup-if-false', { op: 'wrap-if-false', target: { step: cleanup } }),
  s('cleanup-immediate-then-periodic', 'return-before-loop', { op: 'insert-early-return', after: { step: cleanup } }),
  s('cleanup-immediate-then-periodic', 'delete-periodic-cleanup', { op: 'delete-statement', target: { step: cleanup, nth: 1 } }),
  s('cleanup-immediate-then-periodic', 'periodic-cleanup-before-sleep', { op: 'swap-order', target: { step: awaitSleep }, other: { step: cleanup, nth: 1 } }),
  s('cleanup-immediate-then-periodic', 'rename-function', { op: 'rename-anchor' }),
  s('cleanup-immediate-then-periodic', 'while-running-flag', { op: 'replace-text', find: 'while (!signal.aborted) {', replace: 'while (running) {' }),
  s('cleanup-started-after-manager', 'task-before-manager', { op: 'swap-order', target: { step: created }, other: { step: startTask } }),
  s('cleanup-started-after-manager', 'task-if-false', { op: 'wrap-if-false', target: { step: startTask } }),
  s('cleanup-started-after-manager', 'delete-task', { op: 'delete-statement', target: { step: startTask } }),
  s('cleanup-started-after-manager', 'return-before-task', { op: 'insert-early-return', after: { step: created } }),
  s('cleanup-started-after-manager', 'rename-function', { op: 'rename-anchor' }),
  s('entry-starts-service', 'delete-start', { op: 'delete-statement', target: { step: startSvc } }),
  s('entry-starts-service', 'start-if-false', { op: 'wrap-if-false', target: { step: startSvc } }),
  s('entry-starts-service', 'exit-before-start', { op: 'insert-statement', after: { step: loadConfig }, text: 'process.exit(0);' }),
  s('entry-starts-service', 'exit-helper-before-start', { op: 'insert-statement', after: { step: loadConfig }, text: "fail('stopped early', 0);" }),
  s('entry-starts-service', 'start-in-uncalled-function', {
    op: 'replace-text',
    find: 'const service = await startService(',
    replace: 'const service = await (async () => null as never)();\nexport const later = () => startService(',
  }),
  s('runtime-dependencies', 'pino-to-dev', { op: 'drop-dependency', pkg: 'pino', to: 'devDependencies' }),
  s('runtime-dependencies', 'zod-to-dev', { op: 'drop-dependency', pkg: 'zod', to: 'devDependencies' }),
  s('runtime-dependencies', 'drop-tsx', { op: 'drop-dependency', pkg: 'tsx', to: 'nowhere' }),
];

const p = (specId: string, id: string, find: string, replace: string, equivalentBecause?: string): MutantDef => ({
  id: `${specId}/${id}`,
  specId,
  operation: { op: 'replace-text', find, replace },
  killer: 'probe',
  ...(equivalentBecause ? { equivalentBecause } : {}),
});

const CAPACITY_BOUNDS_LIST =
  'listFor() builds the BoundedList with capacity = limit and push evicts the oldest, so the list cannot outgrow the limit whatever trimTo is given';

export const probeMutants: MutantDef[] = [
  p('ohlcv-initial-trim', 'limit-x1000', 'const limit = this.ohlcvLimit(timeframe);', 'const limit = this.ohlcvLimit(timeframe) * 1000;'),
  p('ohlcv-initial-trim', 'trim-noop', 'rows.slice(-limit)', 'rows.slice(-limit * 0)'),
  p('ohlcv-merge-trim', 'trim-noop', 'store.appendMany(rows);\n    store.trimTo(this.ohlcvLimit(timeframe));', 'store.appendMany(rows);\n    store.trimTo(this.ohlcvLimit(timeframe) * 1000);'),
  p('oi-history-bounded', 'limit-x1000', 'const limit = this.config.limits.oiHistory;', 'const limit = this.config.limits.oiHistory * 1000;'),
  p(
    'oi-history-bounded',
    'trim-noop',
    'appendNewer(list, rows.filter((p) => Number.isFinite(p.openInterestAmount)));\n    list.trimTo(limit);',
    'appendNewer(list, rows.filter((p) => Number.isFinite(p.openInterestAmount)));\n    list.trimTo(limit * 1000);',
    CAPACITY_BOUNDS_LIST,
  ),
  p('trades-bounded', 'limit-x1000', 'const limit = this.config.limits.trades;', 'const limit = this.config.limits.trades * 1000;'),
  p('trades-bounded', 'trim-noop', 'list.trimTo(limit);', 'list.trimTo(limit * 1000);', CAPACITY_BOUNDS_LIST),
  p('liquidations-bounded', 'limit-x1000', 'const limit = this.config.limits.liquidations;', 'const limit = this.config.limits.liquidations * 1000;'),
  p('liquidations-bounded', 'trim-noop', 'list.trimTo(limit);', 'list.trimTo(limit * 1000);', CAPACITY_BOUNDS_LIST),
  p('cleanup-result-shape', 'trims-not-counted', 'if (store.trimTo(this.ohlcvLimit(timeframe)) > 0) ohlcvTrimmed++;', 'store.trimTo(this.ohlcvLimit(timeframe));'),
  p('cleanup-result-shape', 'eviction-not-reported', 'const evicted = this.evictUntracked();', 'const evicted = this.evictUntracked() * 0;'),
  p('cleanup-result-shape', 'gc-not-reported', 'gcRan: gc !== undefined,', 'gcRan: gc === undefined,'),
  p('cleanup-immediate-then-periodic', 'loop-flag-false', 'while (!signal.aborted) {', 'let running = false;\n  while (!signal.aborted && running) {'),
  p('cleanup-immediate-then-periodic', 'sleep-x1000', 'clock.sleep(intervalSeconds * 1000, signal)', 'clock.sleep(intervalSeconds * 1000 * 1000, signal)'),
  {
    id: 'cleanup-started-after-manager/default-disabled',
    specId: 'cleanup-started-after-manager',
    operation: { op: 'replace-text', find: '(options.cleanup ?? config.cleanup.enabled)', replace: '(options.cleanup ?? !config.cleanup.enabled)' },
    killer: 'probe',
  },
  { id: 'runtime-dependencies/yaml-to-dev', specId: 'runtime-dependencies', operation: { op: 'drop-dependency', pkg: 'yaml', to: 'devDependencies' }, killer: 'probe' },
  p('cleanup-immediate-then-periodic', 'sleep-ignores-signal', 'clock.sleep(intervalSeconds * 1000, signal)', 'clock.sleep(intervalSeconds * 1000)'),
];

export const rewrites: RewriteDef[] = [
  { id: 'storeOhlcv/invert-if', specId: 'ohlcv-initial-trim', description: 'early-return if inverted into if/else', operation: { op: 'invert-if', map: 'ohlcv' } },
  {
    id: 'storeOhlcv/get-undefined',
    specId: 'ohlcv-initial-trim',
    description: '!map.has(k) spelled map.get(k) === undefined',
    operation: { op: 'replace-text', find: 'if (!this.ohlcv.has(key)) {', replace: 'if (this.ohlcv.get(key) === undefined) {' },
  },
  { id: 'storeOhlcv/extra-statement', specId: 'ohlcv-initial-trim', description: 'an extra statement between limit and trim', operation: { op: 'insert-statement', after: { step: limit }, text: "this.countError('probe', 0);" } },
  { id: 'manager/reformat', specId: 'ohlcv-initial-trim', description: 'whole manager file reprinted', operation: { op: 'reformat' } },
  { id: 'cleanup/reformat', specId: 'cleanup-immediate-then-periodic', description: 'cleanup task file reprinted', operation: { op: 'reformat' } },
  {
    id: 'cleanup/extra-statement',
    specId: 'cleanup-immediate-then-periodic',
    description: 'an extra statement between the startup cleanup and the loop',
    operation: { op: 'insert-statement', after: { step: cleanup }, text: 'summary.failures += 0;' },
  },
  { id: 'main/reformat', specId: 'entry-starts-service', description: 'service entry reprinted', operation: { op: 'reformat' } },
  {
    id: 'main/extra-statement',
    specId: 'entry-starts-service',
    description: 'an extra statement between loading the config and starting the service',
    operation: { op: 'insert-statement', after: { step: loadConfig }, text: "process.title = 'leakproof';" },
  },
  { id: 'start-service/reformat', specId: 'cleanup-started-after-manager', description: 'service start file reprinted', operation: { op: 'reformat' } },
];
