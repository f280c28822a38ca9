import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, QA_UNIT_FLOORS } from '../config/defaults.ts';
import { renderRules, RULES_SOURCE, systemdBytes, THRESHOLD_RECORDS } from './render-rules.ts';
import { prometheusRulesFile } from './rules-file.ts';

const shipped = readFileSync(RULES_SOURCE, 'utf8');
const recorded = (text: string) =>
  Object.fromEntries(
    (parse(text) as { groups: { rules: { record?: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules).flatMap((r) => (r.record ? [[r.record, r.expr]] : [])),
  );

describe('the shipped Prometheus rules', () => {
  it("hold the default MemoryHigh and QA's per-message floor, so the file works as shipped", () => {
    expect(recorded(shipped)).toMatchObject({
      [THRESHOLD_RECORDS.memoryHighBytes]: `vector(${String(systemdBytes(DEFAULTS.memoryHigh))})`,
      [THRESHOLD_RECORDS.qaFloorBytesPerMessage]: `vector(${String(QA_UNIT_FLOORS.message)})`,
    });
  });

  it("render with a host's MemoryHigh and keep every alert and comment", () => {
    const r = renderRules(shipped, { memoryHigh: '2G', qaFloorBytesPerMessage: 8 });
    if (!r.ok) throw new Error(r.reason);
    expect(recorded(r.text)).toMatchObject({ [THRESHOLD_RECORDS.memoryHighBytes]: 'vector(2147483648)', [THRESHOLD_RECORDS.qaFloorBytesPerMessage]: 'vector(8)' });
    expect(r.text.match(/- alert: /g)).toHaveLength(5);
    expect(r.text).toContain('# The unit\'s MemoryHigh in bytes');
  });

  it('refuses a MemoryHigh that is no byte size, and rules without the thresholds', () => {
    expect(renderRules(shipped, { memoryHigh: '80%', qaFloorBytesPerMessage: 16 })).toMatchObject({ ok: false, reason: expect.stringMatching(/not a byte size/) });
    expect(renderRules('groups: []\n', { memoryHigh: '1G', qaFloorBytesPerMessage: 16 })).toMatchObject({ ok: false, reason: expect.stringMatching(/no recording rule/) });
  });
});

describe('prometheusRulesFile (deploy setup --prometheus-rules DIR)', () => {
  it("names one file per service in DIR, set to the unit's MemoryHigh; nothing without a DIR; refuses a relative DIR", async () => {
    const r = await prometheusRulesFile('/etc/prometheus/rules.d', 'lp-shop.service', '1G');
    if (!r.ok) throw new Error(r.reason);
    expect(Object.keys(r.files)).toEqual(['/etc/prometheus/rules.d/lp-shop.rules.yml']);
    expect(recorded(Object.values(r.files)[0] ?? '')[THRESHOLD_RECORDS.memoryHighBytes]).toBe('vector(1073741824)');
    expect(await prometheusRulesFile(undefined, 'lp', '1G')).toEqual({ ok: true, files: {} });
    expect(await prometheusRulesFile('rules', 'lp', '1G')).toMatchObject({ ok: false, reason: expect.stringMatching(/not an absolute path/) });
  });
});
