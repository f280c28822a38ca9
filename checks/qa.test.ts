// @module-tag e2e
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FixId } from './fixes/index.ts';
import { ROOT, copyProject, qa, qaResultOf, removeCopies } from './testing/copy-project.ts';

/**
 * What a developer would do by hand to app/: each edit removes one fix, or brings back the historical
 * loop that exited right after the startup cleanup. `npm run qa` on that tree must exit 1 and name the fix.
 */
const HAND_EDITS: ReadonlyArray<{
  fix: FixId;
  file: string;
  find: string;
  replace: string;
  /** The fix's code shape stays and only a runtime probe can tell: it must fail and name the leak. */
  probe?: { id: string; names: string };
}> = [
  {
    fix: 'ohlcv-initial-trim',
    file: 'app/manager/market-data-manager.ts',
    find: 'const trimmed = rows.slice(-limit);',
    replace: 'const trimmed = rows;',
  },
  {
    fix: 'cleanup-immediate-then-periodic',
    file: 'app/cleanup/periodic-memory-cleanup.ts',
    find: '  while (!signal.aborted) {',
    replace: '  const monitoring = false; // the original: set true only after the task had started\n  while (monitoring && !signal.aborted) {',
  },
  {
    fix: 'unwatch-purges-delisted',
    file: 'app/exchange/ccxt-watch.ts',
    find: '      if (w.topics) {\n        this.stoppedIds',
    // The original looked the id up in the reloaded market table: BadSymbol once delisted, no unsubscribe, no purge.
    replace: '      this.d.ex.marketId(symbol);\n      if (w.topics) {\n        this.stoppedIds',
    probe: { id: 'delisted-symbols-leave-no-ccxt-state', names: 'delisting leak' },
  },
];

const copies: string[] = [];
afterAll(() => removeCopies(copies));

describe('npm run qa on a tree edited by hand', { timeout: 300_000 }, () => {
  // All the edits in one copy and one full QA (CI runs the VPS tests beside this file): each removed fix
  // must be named, and no fix that was left alone may fail, so each name is the edit's own doing.
  it(`exits 1 and names each removed fix (${HAND_EDITS.map((e) => e.fix).join(', ')}), and only those`, async () => {
    const dir = await copyProject(copies);
    for (const edit of HAND_EDITS) {
      const path = join(dir, edit.file);
      const source = await readFile(path, 'utf8');
      expect(source, `${edit.file} no longer holds the line this test edits`).toContain(edit.find);
      await writeFile(path, source.replace(edit.find, edit.replace));
    }

    const out = await qa(dir, ['--no-soak', '--json', '--out', join(dir, 'out')]);
    expect(out.code, out.stderr).toBe(1);
    const result = qaResultOf(out.stdout);
    expect(result.verdict).toBe('FAIL');
    const reasons = result.verdictReasons.join('\n');
    for (const edit of HAND_EDITS) {
      if (edit.probe) {
        expect(result.probes.find((p) => p.id === edit.probe?.id)?.specIds).toContain(edit.fix);
        expect(reasons).toContain(`probe ${edit.probe.id} failed: ${edit.probe.names}`);
      } else {
        expect(result.fixes.find((f) => f.specId === edit.fix)?.status, edit.fix).toBe('fail');
        expect(reasons).toContain(edit.fix);
      }
    }
    const edited = new Set<string>(HAND_EDITS.map((e) => e.fix));
    expect(result.fixes.filter((f) => f.status === 'fail' && !edited.has(f.specId)).map((f) => f.specId)).toEqual([]);
  });

  it('exits 2 with one line on a bad flag value', async () => {
    const out = await qa(ROOT, ['--soak', 'banana']);
    expect(out.code).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^qa: usage: .*banana/);
  });

  it('prints --help once, on stdout, and exits 0 without running a stage', async () => {
    const out = await qa(ROOT, ['--help']);
    expect(out.code).toBe(0);
    expect(out.stdout.match(/^Usage: qa \[options\]$/gm)).toHaveLength(1);
    expect(out.stdout).toContain('--no-soak');
    expect(out.stderr).toBe('');
  });
});
