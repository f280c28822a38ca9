import { survivorLine, type QaResult, type SoakRan } from '../schemas/qa-result.ts';
import { escapeXml as h } from './escape.ts';
import { fmtMb, fmtMs, fmtPct, fmtRatio, fmtSimRate, locHref, locText, verdictText } from './format.ts';
import { minorFindings, stageSummaries } from './qa-summary.ts';
import { renderLineChart } from './svg-line-chart.ts';
import { whatGrewHtml } from './what-grew.ts';

const COLORS = { real: '#059669', fixRemoved: '#dc2626' } as const;

const CSS = `body{font:14px/1.45 system-ui,sans-serif;color:#111827;max-width:1100px;margin:24px auto;padding:0 16px}
h1{margin:0 0 4px}table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #d1d5db;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}.PASS{background:#d1fae5}.CONDITIONAL_PASS{background:#fef3c7}.FAIL{background:#fee2e2}
.verdict{display:inline-block;padding:6px 14px;border-radius:6px;font-size:20px;font-weight:bold}.ok{color:#047857}.bad{color:#b91c1c}
.kpis{display:flex;gap:24px;margin:12px 0}.kpi b{display:block;font-size:22px}code{font-size:12px}`;

export function soakChart(soak: SoakRan): string {
  const build = (key: keyof typeof COLORS) => soak.builds[key];
  const label = (key: keyof typeof COLORS) => (key === 'real' ? 'after (real)' : 'before (fix removed)');
  return renderLineChart({
    title: `Memory over simulated time: before vs after the fix (${soak.workload.simHours} h of market, same workload)`,
    xLabel: 'simulated hours',
    yLabel: 'MB',
    series: (['fixRemoved', 'real'] as const).flatMap((key) => [
      { name: `${label(key)} RSS`, color: COLORS[key], points: build(key).samples.map((s) => ({ x: s.simH, y: s.rssMb })) },
      {
        name: `${label(key)} retained (heap + ArrayBuffers)`,
        color: COLORS[key],
        dashed: true,
        points: build(key).samples.map((s) => ({ x: s.simH, y: s.retainedMb })),
      },
    ]),
  });
}

const ok = (pass: boolean) => `<span class="${pass ? 'ok' : 'bad'}">${pass ? '✔ pass' : '✘ fail'}</span>`;
const table = (head: string[], rows: string[][]) =>
  `<table><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</table>`;

function soakHtml(soak: SoakRan): string {
  const per = (v: number | null) => (v === null ? 'n/a' : v.toFixed(2));
  const row = (name: string, b: SoakRan['builds']['real']) => [
    h(name),
    h(fmtSimRate(b.retained)),
    h(per(b.rssMbPerSimHour)),
    h(per(b.heapMbPerSimHour)),
    h(fmtMb(b.peakRssMb)),
    String(b.ccxtSymbolsMax),
    String(b.messages),
    h(`${b.wallS.toFixed(0)} s`),
  ];
  return (
    soakChart(soak) +
    table(
      ['Build', 'Retained growth (judged, 95% CI)', 'RSS MB/sim h', 'Heap MB/sim h', 'Peak RSS', 'ccxt symbols (max)', 'Messages', 'Wall'],
      [row(`before: ${soak.builds.fixRemoved.label}`, soak.builds.fixRemoved), row(`after: ${soak.builds.real.label}`, soak.builds.real)],
    ) +
    `<p>${ok(soak.ok)} ${h(soak.message)} — ratio <b>${h(fmtRatio(soak.ratio))}</b> (bar ${soak.minRatio}×, load ${soak.loadAverage.start.toFixed(1)} → ${soak.loadAverage.end.toFixed(1)})</p>`
  );
}

/** One self-contained page: inline CSS and SVG, no scripts, nothing fetched. */
export function renderQaHtml(result: QaResult): string {
  const risks = [
    ...result.mutation.survivors.map(survivorLine),
    ...minorFindings(result).map((f) => `minor finding ${f.specId}: ${f.title}`),
    ...result.equivalents.filter((e) => e.falseAlarm).map((e) => `false alarm on ${e.id}: ${e.description}`),
    ...(result.soak.ran ? [] : [`memory soak skipped: ${result.soak.reason}`]),
  ];
  const fixRows = result.fixes.map((f) => [
    ok(f.status === 'pass'),
    `<b>${h(f.specId)}</b> ${h(f.title)}<br><small>${h(f.reason)}</small>`,
    h(f.severity),
    f.evidence.map((e) => `<a href="${h(locHref(e))}"><code>${h(locText(e))}</code></a> ${h(e.message)}`).join('<br>'),
    `${f.mutants.killed}/${f.mutants.total}${f.mutants.survivors.length ? `<br>survivors: ${h(f.mutants.survivors.join(', '))}` : ''}`,
    h(f.probes.join(', ') || 'none'),
  ]);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>leakproof QA: ${h(verdictText(result.verdict))}</title><style>${CSS}</style></head>
<body>
<h1>leakproof QA report</h1>
<p>${h(result.startedAt)} · ${h(fmtMs(result.timings.totalMs))} · sources <code>${h(result.sources.sha256.slice(0, 16))}…</code> (${result.sources.files.length} files)</p>
<div class="verdict ${result.verdict}">${h(verdictText(result.verdict))}</div>
<div class="kpis"><div class="kpi">Score<b>${result.score.value.toFixed(1)}/10</b></div>
<div class="kpi">Confidence<b>${fmtPct(result.confidence.value)}</b></div>
<div class="kpi">Mutation score<b>${result.mutation.score.toFixed(1)}%</b></div>
<div class="kpi">Soak ratio<b>${result.soak.ran ? h(fmtRatio(result.soak.ratio)) : 'skipped'}</b></div></div>
${result.verdictReasons.length ? `<ul>${result.verdictReasons.map((r) => `<li>${h(r)}</li>`).join('')}</ul>` : ''}
<p><small>Confidence: ${h(result.confidence.definition)}.</small></p>
<h2>Memory before and after the fix (measured)</h2>
${result.soak.ran ? soakHtml(result.soak) : `<p>Not run: ${h(result.soak.reason)}</p>`}
${whatGrewHtml(result)}<h2>Fix-by-fix evidence</h2>
${table(['', 'Fix', 'Severity', 'Evidence', 'Mutants', 'Probes'], fixRows)}
<h2>Test results</h2>
${table(['Stage', 'Passed', 'Failed', 'Time'], stageSummaries(result).map((s) => [h(s.stage), String(s.passed), String(s.failed), s.ms === null ? '' : h(fmtMs(s.ms))]))}
${table(['Probe', 'Result', 'Time', 'Detail'], result.probes.map((p) => [h(p.title), ok(p.ok), h(fmtMs(p.durationMs)), h(p.message)]))}
<h2>Risks</h2>
<ul>${(risks.length ? risks : ['none found']).map((r) => `<li>${h(r)}</li>`).join('')}</ul>
</body></html>
`;
}
