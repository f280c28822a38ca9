// @module-tag e2e
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleFileSet } from './bundle-file-set.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe('bundleFileSet', () => {
  it('is the bundle inputs (app sources and the ccxt files it bundles) plus the build definition', async () => {
    const files = await bundleFileSet(ROOT);
    expect(files).toEqual([...files].sort());
    expect(files).toEqual(expect.arrayContaining(['app/main.ts', 'app/exchange/ccxt-instance.ts', 'node_modules/ccxt/js/src/pro/bybit.js', 'app/build/bundle-plugins.ts', 'package-lock.json']));
    expect(files.filter((f) => f.endsWith('.test.ts') || f.includes('/testing/') || f.includes(':'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('node_modules/ccxt/js/src/binance'))).toEqual([]);
  }, 30_000);
});
