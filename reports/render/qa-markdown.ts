import { survivorLine, type FixResult, type QaResult, type SoakRan } from '../schemas/qa-result.ts';
import { mdCell } from './escape.ts';
import { fmtMb, fmtMs, fmtPct, fmtRatio, fmtSimRate, locHref, locText, verdictText } from './format.ts';
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
  const w = soak.workload;
  const per = (v: number | null) => (v === null ? 'n/a' : `${v >= 0 ? '+' : ''}${v.toFixed(2)}`);
  const row = (name: string, b: SoakRan['builds']['real']) =>
    `| ${mdCell(name)} | ${fmtSimRate(b.retained)} | ${per(b.rssMbPerSimHour)} | ${per(b.heapMbPerSimHour)} | ${fmtMb(b.peakRssMb)} | ` +
    `${b.ccxtSymbolsMax} | ${b.messages} | ${b.wallS.toFixed(0)} s | ${mdCell(b.exitReason)} |`;
  return [
    `Both builds ran side by side through the same fixed workload on the emulator: ${w.simHours} simulated hours in`,
    `${w.stepSimS} s steps, ${w.messagesPerSimMinute} WS messages per simulated minute, ${w.rotation.step} of ${w.rotation.listed} listed perps`,
    `delisted and as many listed every ${w.rotation.everySeconds / 60} simulated minutes (top ${w.topN}). Growth is the least-squares slope of`,
    `retained memory (heap + ArrayBuffers, after a full gc, every ${w.sampleEverySimMinutes} simulated minutes) after a`,
    `${w.warmupSimHours} h warm-up, with its 95% interval; the verdict compares the intervals, so load changes the wall time only.`,
    `Load average (1 min): ${soak.loadAverage.start.toFixed(1)} at the start, ${soak.loadAverage.end.toFixed(1)} at the end.`,
    '',
    '| Build | Retained growth (judged) | RSS MB/sim h | Heap MB/sim h | Peak RSS | ccxt symbols (max) | Messages | Wall | End |',
    '|---|---|---|---|---|---|---|---|---|',
    row(`before: ${soak.builds.fixRemoved.label}`, soak.builds.fixRemoved),
    row(`after: ${soak.builds.real.label}`, soak.builds.real),
    '',
    `${soak.ok ? '✅' : '❌'} ${soak.message} (ratio ${fmtRatio(soak.ratio)}, bar ${soak.minRatio}×, floor ${soak.noiseFloorMbPerSimHour} MB/sim h)`,
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
