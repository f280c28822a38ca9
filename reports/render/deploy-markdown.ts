import type { DeployEvidence, HeapEvidence, HostEvidence, UnitWatch } from '../schemas/deploy-evidence.ts';
import { whatGrewTable } from './what-grew.ts';
import { mdCell } from './escape.ts';
import { fmtMs, fmtRate } from './format.ts';

const STATE_ICON = { deployed: '✅', 'rolled-back': '↩️', unchanged: '➖', failed: '❌' } as const;
const short = (sha: string | null) => (sha === null ? '—' : `\`${sha.slice(0, 12)}\``);

const UNIT = { message: 'B/message', listing: 'B/listing turn', hour: 'B/hour' } as const;
const num = (n: number) => String(Number(n.toPrecision(3)));

/** The watch's verdict in QA's units: each slope with its interval, the floor it reached, QA's floor and the budget. */
function unitLines(u: UnitWatch | null): string[] {
  if (!u) return [];
  return [
    `- Retained heap: ${u.samples} samples after gc, ${num(u.msgPerSecond)} msg/s, ${u.model === 'joint' ? 'one joint fit' : `each unit alone (${u.why ?? ''})`}; ` +
      `MemoryHigh in ${u.daysToMemoryHigh === null ? 'never (no certain growth)' : `${u.daysToMemoryHigh.toFixed(1)} days`} (limit ${u.days} days)`,
    ...u.units.map((l) => `  - ${UNIT[l.unit]}: ${num(l.slope)} (95% ${num(l.lo)}…${num(l.hi)}); this watch could see ≥ ${num(l.floor)}; QA floor ${num(l.qaFloor)}; budget ${l.budget === null ? 'n/a' : num(l.budget)}`),
  ];
}

/** The host's two heap snapshots: their cost on the host, then memlab's "what grew, and what holds it". */
function heapLines(heap: HeapEvidence | null): string[] {
  if (!heap) return [];
  const snap = (s: HeapEvidence['snapshots'][number]) => `${(s.bytes / 1048576).toFixed(1)} MB (mode ${s.mode}) in ${fmtMs(s.ms)}, RSS ${s.rssBeforeMb.toFixed(0)} → peak ${s.peakRssMb.toFixed(0)} MB${s.peakRaised ? '' : ' (an earlier peak)'}`;
  const apart = heap.messagesBetween === null ? '' : `, ${heap.messagesBetween} messages (${heap.secondsBetween?.toFixed(0) ?? '?'} s) apart`;
  return [`- Heap snapshots from the host${apart}: ${heap.snapshots.map(snap).join('; ') || 'none'}`, '', ...whatGrewTable([{ source: 'host', result: heap.whatGrew }])];
}

function hostSection(host: HostEvidence): string[] {
  const mem = host.memory;
  return [
    `## ${STATE_ICON[host.finalState]} ${host.host} (${host.address}): ${host.finalState}, exit ${host.exitCode}`,
    '',
    '| Step | Result | Time | Detail |',
    '|---|---|---|---|',
    ...host.steps.map((s) => `| ${mdCell(s.name)} | ${s.ok ? '✅' : '❌'} | ${fmtMs(s.durationMs)} | ${mdCell(s.detail)} |`),
    '',
    `- Lock holder: ${host.lockHolder ?? '—'}`,
    `- InvocationID: ${host.invocationId ?? '—'}`,
    host.logProof
      ? `- Log proof at ${host.logProof.timestamp}: \`${host.logProof.line}\`` +
        (host.logProof.nextCleanupLine ? ` then \`${host.logProof.nextCleanupLine}\`` : '')
      : '- Log proof: not seen for this restart',
    mem
      ? `- Memory (${mem.source}): ${mem.samples.length} samples, last ${mem.samples.at(-1)?.mb.toFixed(1) ?? '—'} MB, growth ${mem.growthMbPerMin === null ? 'n/a' : fmtRate(mem.growthMbPerMin)}`
      : '- Memory: not watched',
    ...unitLines(mem?.units ?? null),
    ...heapLines(mem?.heap ?? null),
    host.rollback
      ? `- Rollback by ${host.rollback.by}: ${host.rollback.reason} → ${host.rollback.toRelease ?? 'nothing restored'}` +
        ` (hashes ${host.rollback.hashesVerified ? 'verified' : 'NOT verified'})`
      : '- Rollback: none',
    '',
    '| File | Before | After |',
    '|---|---|---|',
    ...host.files.map((f) => `| ${mdCell(f.path)} | ${short(f.before)} | ${short(f.after)} |`),
    '',
  ];
}

/** Deploy or rollback evidence as Markdown; the input is already redacted and validated. */
export function renderDeployMarkdown(evidence: DeployEvidence): string {
  const r = evidence.release;
  return [
    `# leakproof ${evidence.kind}${evidence.dryRun ? ' (dry run)' : ''}: ${evidence.ok ? 'OK' : 'FAILED'}`,
    '',
    `- Run: ${evidence.startedAt} → ${evidence.finishedAt}, exit ${evidence.exitCode}`,
    `- Release: ${r.id} (selected by ${r.selectedBy}), sources ${short(r.sourcesSha256)}, QA verdict ${r.qaVerdict ?? '—'}`,
    `- Hosts: ${evidence.hosts.map((h) => `${h.host} ${h.finalState}`).join(', ') || 'none'}`,
    '',
    ...evidence.hosts.flatMap(hostSection),
  ].join('\n');
}
