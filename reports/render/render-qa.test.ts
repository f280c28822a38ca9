import { describe, expect, it } from 'vitest';
import { checkXml } from '../testing/check-xml.ts';
import { qaResultFixture } from '../testing/qa-result-fixture.ts';
import type { QaResult } from '../schemas/qa-result.ts';
import { renderQaHtml } from './qa-html.ts';
import { renderQaJunit } from './qa-junit.ts';
import { renderQaMarkdown } from './qa-markdown.ts';

function failing(): QaResult {
  const r = qaResultFixture();
  r.verdict = 'FAIL';
  r.verdictReasons = ['surviving mutant m7 of cleanup-loop'];
  r.fixes[1]!.status = 'fail';
  r.fixes[1]!.mutants = { killed: 3, total: 4, survivors: ['m7'] };
  r.mutation = { ...r.mutation, killed: 8, survived: 1, score: 88.9, survivors: [{ id: 'm7', specId: 'cleanup-loop', description: 'move <call> after & loop' }] };
  r.probes[0]!.ok = false;
  r.probes[0]!.message = 'kept 5000 "candles"';
  return r;
}

describe('renderQaMarkdown', () => {
  it('states the verdict and links every fix evidence line', () => {
    const md = renderQaMarkdown(qaResultFixture());
    expect(md).toContain('## Verdict: ✅ PASS');
    for (const fix of qaResultFixture().fixes) {
      for (const e of fix.evidence) expect(md).toContain(`[${e.file}:${e.line}:${e.col}](../../../${e.file}#L${e.line})`);
    }
    // One row per build and unit, the fix-removed build failing per listing turn; one chart per unit and the projection.
    expect(md).toMatch(/\| fix-removed build \| per listing turn \| 4\d\d\.\d KB \[.*\] \| .* \| 16\.0 KB \| 20\.0 KB \| .* \| ❌ \|/);
    expect(md).toMatch(/\| real build \| per WS message \| -?0\.\d B \[.*\] \| .* \| 4\.0 B \| 16\.0 B \| .* \| ✅ \|/);
    expect(md.match(/```mermaid\nxychart-beta/g)).toHaveLength(4);
    expect(md).toContain('title "Retained per listing turn"');
    expect(md).toContain('MemoryHigh headroom 300 MB');
    expect(md).toContain('700 WS msg/s');
    expect(md).toContain('Load average (1 min): 1.2 at the start, 1.5 at the end.');
  });

  it('names survivors and failures under risks', () => {
    const md = renderQaMarkdown(failing());
    expect(md).toContain('## Verdict: ❌ FAIL');
    expect(md).toContain('- ❌ surviving mutant m7 of cleanup-loop');
    expect(md).toContain('Mutants killed: 3/4 — survivors: m7');
  });

  it('is honest about a skipped soak', () => {
    const md = renderQaMarkdown({ ...qaResultFixture(), soak: { ran: false, reason: '--no-soak given' } });
    expect(md).toContain('Not run: --no-soak given');
    expect(md).toContain('- ⚠️ memory soak skipped: --no-soak given');
  });
});

describe('renderQaHtml', () => {
  it('is self-contained and charts each unit for both builds with their fits, and the projection against the headroom', () => {
    const html = renderQaHtml(qaResultFixture());
    expect(html).not.toMatch(/<script|<link|src=|url\(|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    const series = [...html.matchAll(/<polyline data-series="([^"]+)"/g)].map((m) => m[1]);
    expect(series.filter((n) => n?.includes('fit'))).toHaveLength(6);
    expect(series.filter((n) => n?.endsWith('retained'))).toHaveLength(6);
    expect(series).toContain('MemoryHigh headroom 300 MB');
    const svgs = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
    expect(svgs).toHaveLength(4);
    for (const svg of svgs) expect(checkXml(svg).ok).toBe(true);
    expect(svgs.map((svg) => /Retained per ([a-zA-Z ]+)|Projected growth/.exec(svg)?.[0])).toEqual(['Retained per WS message', 'Retained per listing turn', 'Retained per simulated hour', 'Projected growth']);
  });

  it('escapes text from the result', () => {
    const html = renderQaHtml(failing());
    expect(html).toContain('kept 5000 &quot;candles&quot;');
    expect(html).toContain('move &lt;call&gt; after &amp; loop');
  });
});

describe('renderQaJunit', () => {
  it('parses as XML with one testcase per spec, mutant group, probe, equivalent and the soak', () => {
    const r = qaResultFixture();
    const checked = checkXml(renderQaJunit(r));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const expected = r.fixes.length * 2 + r.probes.length + r.equivalents.length + 1;
    expect(checked.elements.filter((e) => e === 'testcase')).toHaveLength(expected);
    expect(checked.elements.filter((e) => e === 'failure')).toHaveLength(0);
  });

  it('turns each failure into a <failure>, counted in the totals', () => {
    const xml = renderQaJunit(failing());
    const checked = checkXml(xml);
    expect(checked.ok).toBe(true);
    if (checked.ok) expect(checked.elements.filter((e) => e === 'failure')).toHaveLength(3);
    expect(xml).toMatch(/<testsuites name="leakproof-qa" tests="8" failures="3"/);
  });
});
