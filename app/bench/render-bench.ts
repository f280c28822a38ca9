import type { BenchOutput, TargetOutcome } from './run-bench-suite.ts';

const fixed = (digits: number) => (n: number | null) => (n === null ? 'n/a' : n.toFixed(digits));
const rate = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : `${(n / 1e3).toFixed(0)}k`);
const ratio = (n: number | undefined) => (n === undefined ? '–' : `${n.toFixed(1)}×`);

/** The side-by-side table, Markdown (which also reads well on a terminal). */
export function renderBenchTable(result: BenchOutput): string {
  const header = '| implementation | scenario | appends/s | vs ccxt | overall/s | B/candle | ELD p99 ms | ELD idle ms | gc() ms | gc() empty ms | cleanup p99 ms | GC events |';
  const rule = '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|';
  const lines = result.rows.map((r) =>
    [
      r.implementation,
      r.scenario,
      rate(r.appendsPerSec),
      ratio(r.vsCcxt?.appendsPerSec),
      rate(r.appendsPerSecOverall),
      fixed(1)(r.bytesPerCandle),
      fixed(2)(r.eldP99Ms),
      fixed(2)(r.eldBaselineP99Ms),
      fixed(2)(r.gcMs),
      fixed(2)(r.gcBaselineMs),
      fixed(3)(r.cleanupP99Ms),
      String(Math.round(r.gcEvents)),
    ].join(' | '),
  );
  return [header, rule, ...lines.map((l) => `| ${l} |`)].join('\n');
}

function targetLine(t: TargetOutcome): string {
  const mark = t.pass === null ? 'not measured' : t.pass ? 'met' : 'MISSED';
  const where = t.scenario === null ? 'all scenarios' : `"${t.scenario}"`;
  return `- ${t.implementation} ${t.metric} ${t.op} ${t.value} (${where}): ${fixed(2)(t.actual)} — ${mark}`;
}

export function renderBenchMarkdown(result: BenchOutput): string {
  const m = result.machine;
  return [
    `# Candle cache benchmark, ${result.startedAt}`,
    '',
    `${m.cpuModel} × ${m.cpus}, ${Math.round(m.totalMemMb)} MB, ${m.platform}/${m.arch}, Node ${result.node}; ` +
      `1-min load average at the end: ${result.loadAvg1m.toFixed(2)} (the machine is shared: expect noise).`,
    '',
    `${result.keys} keys capped at ${result.cap}; ${result.ticks} timed ticks per measurement, each feeding every key its ` +
      `scenario's 10 updates; medians of ${result.reps} repetitions. "new": every update a new candle; "mix": 1 new + 9 ` +
      'updates of the forming candle. B/candle = (heap + ArrayBuffers after gc − before) / retained candles. ' +
      'Each measurement runs in a fresh Node process that loads only the design it measures, after an untimed ' +
      'warm-up; every tick\'s input is one flat Float64Array built before the first gc(), so each design allocates only what it keeps. "gc() empty" is the same full gc() timed ' +
      'before the caches exist, and "ELD idle" an idle event loop over 250 ms just before: the machine\'s floor at that moment. appends/s is the rate of the median tick ' +
      '(robust to preemption on a shared machine; it favours designs with short ticks), "overall/s" all updates over ' +
      'all tick time.',
    '',
    renderBenchTable(result),
    '',
    '## Targets',
    '',
    ...result.targets.map(targetLine),
    '',
  ].join('\n');
}
