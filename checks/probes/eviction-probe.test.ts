// @module-tag e2e
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTree } from '../fuzz/judge.ts';
import { ROOT } from '../testing/copy-project.ts';
import { runProbes } from './run-probes.ts';

/** The eviction probe finds the manager's collections by walking its fields: one added by hand must be evicted too. */
const MANAGER = 'app/manager/market-data-manager.ts';
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

async function probeWith(edit: (text: string) => string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'leakproof-evict-'));
  dirs.push(dir);
  const text = await readFile(path.join(ROOT, MANAGER), 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  await writeTree(ROOT, path.join(dir, 't'), new Map([[MANAGER, edited]]), []);
  const [r] = (await runProbes({ root: path.join(dir, 't'), only: ['every-collection-evicts'] })).probes;
  return r;
}

describe('every-collection-evicts', { timeout: 60_000 }, () => {
  it('passes on the app as it is, naming every collection it found', async () => {
    const [r] = (await runProbes({ root: ROOT, only: ['every-collection-evicts'] })).probes;
    expect(r).toMatchObject({ ok: true });
    expect(r?.evidence.collections).toEqual(expect.arrayContaining(['ohlcv', 'tickers', 'orderBooks', 'trades', 'openInterest', 'openInterestHistory', 'longShortRatio', 'liquidations']));
  });

  it('fails on a new per-symbol collection that the eviction forgets', async () => {
    const r = await probeWith((t) =>
      t
        .replace('  readonly tickers = new Map<string, TickerSnapshot>();', '  readonly tickers = new Map<string, TickerSnapshot>();\n  readonly lastPrice = new Map<string, number>();')
        .replace('if (Number.isFinite(ticker.last)) this.tickers.set(ticker.symbol, ticker);', 'if (Number.isFinite(ticker.last)) {\n      this.tickers.set(ticker.symbol, ticker);\n      this.lastPrice.set(ticker.symbol, ticker.last);\n    }'),
    );
    expect(r).toMatchObject({ ok: false });
    expect(r?.reason).toMatch(/not evicted: lastPrice/);
  });

  it('fails when one existing collection is left out of the eviction', async () => {
    const r = await probeWith((t) => t.replace('this.openInterestHistory, this.longShortRatio, this.liquidations];', 'this.openInterestHistory, this.longShortRatio];'));
    expect(r?.reason).toMatch(/not evicted: liquidations/);
  });
});
