import type { QaResult } from '../schemas/qa-result.ts';
import { escapeXml as x } from './escape.ts';
import { locText } from './format.ts';

interface Case {
  name: string;
  ms: number;
  failure: string | null;
}

const secs = (ms: number) => (ms / 1000).toFixed(3);

function suite(name: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure !== null).length;
  const total = cases.reduce((sum, c) => sum + c.ms, 0);
  const body = cases
    .map(
      (c) =>
        `    <testcase classname="leakproof.${x(name)}" name="${x(c.name)}" time="${secs(c.ms)}">` +
        (c.failure === null ? '' : `<failure message="${x(c.failure.split('\n')[0] ?? '')}">${x(c.failure)}</failure>`) +
        '</testcase>',
    )
    .join('\n');
  return `  <testsuite name="${x(name)}" tests="${cases.length}" failures="${failures}" errors="0" time="${secs(total)}">\n${body}\n  </testsuite>`;
}

/** JUnit XML for CI: each spec, each spec's mutant group, each probe and the soak is a testcase. */
export function renderQaJunit(result: QaResult): string {
  const suites: Array<[string, Case[]]> = [
    [
      'static-checks',
      result.fixes.map((f) => ({
        name: `${f.specId} ${f.title}`,
        ms: 0,
        failure:
          f.status === 'pass' ? null : f.evidence.map((e) => `${locText(e)} ${e.message}`).join('\n') || 'anchor not found',
      })),
    ],
    [
      'mutants',
      result.fixes.map((f) => ({
        name: `mutants of ${f.specId} (${f.mutants.killed}/${f.mutants.total} killed)`,
        ms: 0,
        failure: f.mutants.survivors.length ? `survivors: ${f.mutants.survivors.join(', ')}` : null,
      })),
    ],
    ['probes', result.probes.map((p) => ({ name: p.title, ms: p.durationMs, failure: p.ok ? null : p.message }))],
    [
      'equivalents',
      result.equivalents.map((e) => ({ name: e.description, ms: 0, failure: e.falseAlarm ? e.message : null })),
    ],
    [
      'soak',
      result.soak.ran
        ? [{ name: 'every unit holds for the real build and the fix-removed build is flagged', ms: Math.max(result.soak.builds.real.wallS, result.soak.builds.fixRemoved.wallS) * 1000, failure: result.soak.ok ? null : result.soak.message }]
        : [],
    ],
  ];
  const all = suites.flatMap(([, cases]) => cases);
  const failures = all.filter((c) => c.failure !== null).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="leakproof-qa" tests="${all.length}" failures="${failures}" errors="0" time="${secs(result.timings.totalMs)}">`,
    ...suites.filter(([, cases]) => cases.length > 0).map(([name, cases]) => suite(name, cases)),
    '</testsuites>',
    '',
  ].join('\n');
}
