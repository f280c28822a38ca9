import { survivorLine, type QaResult, type SoakRan } from '../schemas/qa-result.ts';
import { escapeXml as h } from './escape.ts';
import { fmtMb, fmtMs, fmtPct, locHref, locText, verdictText } from './format.ts';
import { profileLines, projectionSeries, UNIT_HEAD, UNIT_VIEW, unitRows, unitSeries, UNITS } from './soak-units.ts';
import { minorFindings, stageSummaries } from './qa-summary.ts';
import { renderLineChart } from './svg-line-chart.ts';
import { whatGrewHtml } from './what-grew.ts';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;color:#111827;max-width:1100px;margin:24px auto;padding:0 16px}
h1{margin:0 0 4px}table{border-collapse:collapse;margin:8px 0 16px}td,th{border:1px solid #d1d5db;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f6}.PASS{background:#d1fae5}.CONDITIONAL_PASS{background:#fef3c7}.FAIL{background:#fee2e2}
.verdict{display:inline-block;padding:6px 14px;border-radius:6px;font-size:20px;font-weight:bold}.ok{color:#047857}.bad{color:#b91c1c}
.kpis{display:flex;gap:24px;margin:12px 0}.kpi b{display:block;font-size:22px}code{font-size:12px}`;

/** One chart per unit (retained vs its work, each build's fit) and the projection against the headroom. */
export function soakCharts(soak: SoakRan): string {
  return [
    ...UNITS.map((u) => renderLineChart({ title: `Retained per ${UNIT_VIEW[u].title}`, xLabel: UNIT_VIEW[u].axis, yLabel: 'MB', series: unitSeries(soak, u) })),
    renderLineChart({ title: 'Projected growth at the profile vs MemoryHigh headroom', xLabel: 'days since restart', yLabel: 'MB', series: projectionSeries(soak) }),
  ].join('\n');
}

const ok = (pass: boolean) => `<span class="${pass ? 'ok' : 'bad'}">${pass ? '✔ pass' : '✘ fail'}</span>`;
const table = (head: string[], rows: string[][]) =>
  `<table><tr>${head.map((c) => `<th>${h(c)}</th>`).join('')}</tr>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</table>`;

function soakHtml(soak: SoakRan): string {
  const build = (k: 'real' | 'fixRemoved') => {
    const b = soak.builds[k];
    return [h(`${k === 'real' ? 'after' : 'before'}: ${b.label}`), h(fmtMb(b.peakRssMb)), String(b.ccxtSymbolsMax), String(b.messages), String(b.listingTurns), h(`${b.wallS.toFixed(0)} s`), h(b.cpuS === undefined ? 'n/a' : `${b.cpuS.toFixed(0)} s`), h(b.exitReason)];
  };
  return (
    profileLines(soak).map((l) => `<p>${h(l)}</p>`).join('') +
    table(UNIT_HEAD, unitRows(soak).map((r) => r.map(h))) +
    table(['Build', 'Peak RSS', 'ccxt symbols (max)', 'Messages', 'Listing turns', 'Wall', 'CPU', 'End'], [build('fixRemoved'), build('real')]) +
    soakCharts(soak) +
    `<p>${ok(soak.ok)} ${h(soak.message)} (load ${soak.loadAverage.start.toFixed(1)} → ${soak.loadAverage.end.toFixed(1)})</p>`
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
<div class="kpi">Real build at the profile<b>${result.soak.ran && result.soak.builds.real.projection ? h(`${result.soak.builds.real.projection.mbPerDay.toFixed(1)} MB/day`) : 'n/a'}</b></div></div>
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
