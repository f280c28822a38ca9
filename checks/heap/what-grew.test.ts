// @module-tag e2e
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WhatGrew } from '../../reports/schemas/qa-result.ts';
import { whatGrew } from './what-grew.ts';

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL('./testing/stand-in-child.ts', import.meta.url));
const PER_SYMBOL = 5000;

describe('what grew, and what holds it (memlab)', () => {
  it('names the unbounded store of a process that grows, with its retainer path', { timeout: 120_000 }, async () => {
    const { stdout } = await run(process.execPath, ['--expose-gc', '--import', 'tsx', CHILD, String(PER_SYMBOL)], { timeout: 110_000 });
    const result = WhatGrew.parse(JSON.parse(stdout).result);
    if (!result.ok) throw new Error(result.reason);
    const top = result.rows[0]!;
    expect(top.kind).toBe('Object');
    // Three symbols' rows were added between the snapshots; other Objects may come and go.
    expect(top.countAfter - top.countBefore).toBeGreaterThanOrEqual(3 * PER_SYMBOL);
    expect(top.retainerPath).toBe('StandInStore.rows → Map → … → Array → Object');
    expect(top.retainerShare).toBeGreaterThanOrEqual(0.9);
    expect(result.rows.map((r) => r.bytesAfter - r.bytesBefore)).toEqual([...result.rows.map((r) => r.bytesAfter - r.bytesBefore)].sort((a, b) => b - a));
  });

  it('is a failure value, not a throw, when a snapshot cannot be read', async () => {
    const r = await whatGrew({ before: '/nonexistent/a.heapsnapshot', after: '/nonexistent/b.heapsnapshot' });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/memlab could not analyse .*a\.heapsnapshot/) });
  });
});
