import { describe, expect, it } from 'vitest';
import type { Finding } from './finding.ts';
import { toSarif } from './sarif.ts';

const finding = (over: Partial<Finding>): Finding => ({
  specId: 'a',
  ok: true,
  message: 'm',
  file: 'app/x.ts',
  line: 3,
  col: 5,
  check: 'dominates',
  severity: 'critical',
  ...over,
});

describe('toSarif', () => {
  it('writes SARIF 2.1.0 with one rule per spec and pass/fail results at file:line:col', () => {
    const log = toSarif(
      [finding({}), finding({ specId: 'b', ok: false, severity: 'minor', line: 9, col: 1, message: 'broken' })],
      [{ id: 'a', title: 'A', why: 'because', severity: 'critical' }],
    );
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const run = log.runs[0]!;
    expect(run.tool.driver.rules.map((r) => [r.id, r.defaultConfiguration.level])).toEqual([
      ['a', 'error'],
      ['b', 'warning'],
    ]);
    expect(run.tool.driver.rules[0]!.fullDescription).toEqual({ text: 'because' });
    expect(run.results.map((r) => [r.ruleId, r.ruleIndex, r.kind, r.level])).toEqual([
      ['a', 0, 'pass', 'none'],
      ['b', 1, 'fail', 'warning'],
    ]);
    expect(run.results[1]!.locations[0]!.physicalLocation).toEqual({ artifactLocation: { uri: 'app/x.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 9, startColumn: 1 } });
    expect(JSON.parse(JSON.stringify(log))).toEqual(log);
  });
});
