import { survivorLine, type FixResult, type QaResult, type SoakRan } from '../schemas/qa-result.ts';
import { mdCell } from './escape.ts';
import { fmtMb, fmtMs, fmtPct, locHref, locText, verdictText } from './format.ts';
import { mermaidChart, profileLines, projectionSeries, UNIT_HEAD, UNIT_VIEW, unitRows, unitSeries, UNITS } from './soak-units.ts';
import { minorFindings, stageSummaries } from './qa-summary.ts';
import { whatGrewMarkdown } from './what-grew.ts';

const ICON = { PASS: '✅', CONDITIONAL_PASS: '⚠️', FAIL: '❌' } as const;

function fixSection(fix: FixResult): string[] {
  const lines = [
    `### ${fix.status === 'pass' ? '✅' : '❌'} ${fix.specId}: ${fix.title} (${fix.severity})`,
    '',
    `Why: ${fix.reason}`,
    '',
    ...fix.evidence.map((e) => `- [${locText(e)}](${locHref(e)}) ${e.message}`),
    '',
    `Mutants killed: ${fix.mutants.killed}/${fix.mutants.total}` +
      (fix.mutants.survivors.length ? ` — survivors: ${fix.mutants.survivors.join(', ')}` : ''),
    `Runtime probes: ${fix.probes.length ? fix.probes.join(', ') : 'none'}`,
    '',
  ];
  return lines;
}

function soakSection(soak: SoakRan): string[] {
  const p = soak.plan;
  const table = (head: string[], rows: string[][]) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)];
  return [
    `Both builds ran side by side through the same plan on the emulator, in phases that each move one unit of work: ` +
      `${p.listingBlocks} rotations of ${p.rotationStep} of ${p.topN} listed perps (listed, streamed, delisted, evicted through real ccxt), ` +
      `${p.messageBlocks} bursts of ${p.messagesPerBlock} WS messages at the emulator's full speed after a ${p.fillMessages}-message fill of every bounded cache (the fix-removed build a quarter of them), ` +
      `then ${p.simHours} simulated hours alone at the production refresh cadence. Retained = heap less V8's code, plus ArrayBuffers, after two full gcs, ` +
      `fitted by one regression on all three units (an intercept per phase) with 95% intervals. ` +
      `Load average (1 min): ${soak.loadAverage.start.toFixed(1)} at the start, ${soak.loadAverage.end.toFixed(1)} at the end.`,
    '',
    ...profileLines(soak),
    '',
    ...table(UNIT_HEAD, unitRows(soak)),
    '',
    ...table(
      ['Build', 'Peak RSS', 'ccxt symbols (max)', 'Messages', 'Listing turns', 'Wall', 'CPU', 'End'],
      (['fixRemoved', 'real'] as const).map((k) => {
        const b = soak.builds[k];
        return [`${k === 'real' ? 'after' : 'before'}: ${b.label}`, fmtMb(b.peakRssMb), String(b.ccxtSymbolsMax), String(b.messages), String(b.listingTurns), `${b.wallS.toFixed(0)} s`, b.cpuS === undefined ? 'n/a' : `${b.cpuS.toFixed(0)} s`, b.exitReason];
      }),
    ),
    '',
    ...UNITS.flatMap((u) => [...mermaidChart(`Retained per ${UNIT_VIEW[u].title}`, UNIT_VIEW[u].axis, unitSeries(soak, u)), '']),
    ...mermaidChart('Projected growth at the profile vs MemoryHigh headroom', 'days since restart', projectionSeries(soak)),
    '',
    `${soak.ok ? '✅' : '❌'} ${soak.message}`,
    '',
  ];
}

function risks(result: QaResult): string[] {
  const out = [
    ...result.mutation.survivors.map((s) => `- ❌ ${survivorLine(s)}`),
    ...minorFindings(result).map((f) => `- ⚠️ minor finding ${f.specId}: ${f.title}`),
    ...result.equivalents.filter((e) => e.falseAlarm).map((e) => `- ⚠️ false alarm on ${e.id}: ${e.description}`),
    ...(result.mutation.defects ?? []).map((d) => `- ⚠️ spec defect: mutant ${d.id} of ${d.specId} could not be made — ${d.reason}`),
    ...result.dependencies.filter((d) => !d.ok).map((d) => `- ❌ [${locText(d)}](${locHref(d)}) ${d.message}`),
    ...result.mutation.excluded.map((m) => `- ℹ️ excluded mutant ${m.id} of ${m.specId}: ${m.description} — ${m.reason}`),
  ];
  if (!result.soak.ran) out.push(`- ⚠️ memory soak skipped: ${result.soak.reason}`);
  return out.length ? out : ['- none found'];
}

/** The QA report as Markdown: every number in it comes from the result. */
export function renderQaMarkdown(result: QaResult): string {
  const m = result.mutation;
  return [
    '# leakproof QA report',
    '',
    '## Overview',
    '',
    `- Run: ${result.startedAt} → ${result.finishedAt} (${fmtMs(result.timings.totalMs)})`,
    `- Sources: \`${result.sources.sha256}\` over ${result.sources.files.length} runtime files`,
    `- Fixes checked: ${result.fixes.length}; probes: ${result.probes.length}; mutants scored: ${m.killed + m.survived + m.timeout}`,
    '',
    `## Verdict: ${ICON[result.verdict]} ${verdictText(result.verdict)}`,
    '',
    `- Score: **${result.score.value.toFixed(1)}/10** (${result.score.parts.map((p) => `${p.name} ${p.earned.toFixed(1)}/${p.weight}`).join(', ')})`,
    `- Confidence: **${fmtPct(result.confidence.value)}** (${result.confidence.covered}/${result.confidence.total} fixes): ${result.confidence.definition}`,
    `- Mutation score: **${m.score.toFixed(1)}%** (killed ${m.killed}, survived ${m.survived}, timeout ${m.timeout}, excluded ${m.excluded.length}` +
      `, spec defects ${m.defects?.length ?? 0})`,
    ...result.verdictReasons.map((r) => `- Reason: ${r}`),
    '',
    '## Fix-by-fix evidence',
    '',
    ...result.fixes.flatMap(fixSection),
    '## Test results',
    '',
    '| Stage | Passed | Failed | Time |',
    '|---|---|---|---|',
    ...stageSummaries(result).map((s) => `| ${s.stage} | ${s.passed} | ${s.failed} | ${s.ms === null ? '' : fmtMs(s.ms)} |`),
    '',
    '### Runtime probes',
    '',
    '| Probe | Result | Time | Detail |',
    '|---|---|---|---|',
    ...result.probes.map((p) => `| ${mdCell(p.title)} | ${p.ok ? '✅' : '❌'} | ${fmtMs(p.durationMs)} | ${mdCell(p.message)} |`),
    '',
    '## Memory before and after the fix (measured)',
    '',
    ...(result.soak.ran ? soakSection(result.soak) : [`Not run: ${result.soak.reason}`, '']),
    ...whatGrewMarkdown(result),
    '## Risks',
    '',
    ...risks(result),
    '',
  ].join('\n');
}
