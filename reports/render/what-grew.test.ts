import { describe, expect, it } from 'vitest';
import { QaResult } from '../schemas/qa-result.ts';
import { qaResultFixture } from '../testing/qa-result-fixture.ts';
import { renderQaHtml } from './qa-html.ts';
import { renderQaMarkdown } from './qa-markdown.ts';

const MB = 1024 * 1024;

function withGrowth(): QaResult {
  const base = qaResultFixture();
  if (!base.soak.ran) throw new Error('the fixture soak ran');
  return QaResult.parse({
    ...base,
    soak: { ...base.soak, whatGrew: [
      {
        source: 'soak: fix-removed build',
        result: {
          ok: true,
          rows: [{ kind: 'Array', countBefore: 1000, countAfter: 91_000, bytesBefore: 3 * MB, bytesAfter: 12 * MB, retainerPath: 'NaiveOhlcvStore.rows → Map → … → Array' }],
          analysisMs: 4200,
          snapshotMs: 2100,
          snapshotMb: 48,
        },
      },
      { source: 'soak: real build', result: { ok: false, reason: 'heap snapshots failed: <ENOSPC>' } },
    ] },
  });
}

describe('the "what grew, and what holds it" table', () => {
  it('shows each growing kind with its growth and retainer path, and how the reading was made', () => {
    const md = renderQaMarkdown(withGrowth());
    expect(md).toContain('## What grew, and what holds it');
    expect(md).toContain('| soak: fix-removed build | Array | 1000 → 91000 | 9.0 MB | NaiveOhlcvStore.rows → Map → … → Array |');
    expect(md).toContain('- soak: fix-removed build: memlab read two heap snapshots in 4.2 s, written in 2.1 s (48 MB)');
    expect(md).toContain('- soak: real build: no reading — heap snapshots failed: <ENOSPC>');
  });

  it('is in the HTML page too, escaped', () => {
    const html = renderQaHtml(withGrowth());
    expect(html).toContain('<h2>What grew, and what holds it</h2>');
    expect(html).toContain('<code>NaiveOhlcvStore.rows → Map → … → Array</code>');
    expect(html).toContain('heap snapshots failed: &lt;ENOSPC&gt;');
  });

  it('is left out when no process was read', () => {
    expect(renderQaMarkdown(qaResultFixture())).not.toContain('What grew');
    expect(renderQaHtml(qaResultFixture())).not.toContain('What grew');
  });
});
