import path from 'node:path';
import type { Plugin } from 'esbuild';

/**
 * The ccxt exchange ids the config can name. `exchange: sim` is the loopback Bybit emulator and
 * `exchange: bybit` the real one; both run `ccxt.pro.bybit` (app/exchange/ccxt-instance.ts).
 */
export const BUNDLED_EXCHANGES = ['bybit'] as const;

/**
 * Packages that only other exchanges' code imports (mexc's and dydx's protobuf decoders). They are not
 * installed; an empty module keeps the bundle self-contained, as esbuild's docs suggest for optional deps.
 */
export const STUBBED_PACKAGES = ['protobufjs'] as const;

/** The module that replaces `import ccxt from 'ccxt'`: the same shape, with only the named exchanges. */
export function ccxtShimSource(srcDir: string, exchanges: readonly string[]): string {
  const file = (rel: string) => JSON.stringify(path.join(srcDir, rel));
  const lines = [`import * as errors from ${file('base/errors.js')};`];
  for (const [i, id] of exchanges.entries()) {
    lines.push(`import rest${i} from ${file(`${id}.js`)};`, `import pro${i} from ${file(`pro/${id}.js`)};`);
  }
  const entries = (kind: string) => exchanges.map((id, i) => `${JSON.stringify(id)}: ${kind}${i}`).join(', ');
  lines.push(`const ccxt = { ...errors, ${entries('rest')}, pro: { ${entries('pro')} } };`, 'export default ccxt;');
  return `${lines.join('\n')}\n`;
}

const REAL_INDEX = Symbol('resolve the real ccxt index');

/**
 * ccxt's package `exports` allows only `.`, whose index loads every exchange: resolve the bare `ccxt`
 * import to a shim that imports the named exchange files by path.
 */
export function ccxtOneExchange(root: string, exchanges: readonly string[] = BUNDLED_EXCHANGES): Plugin {
  return {
    name: 'ccxt-one-exchange',
    setup(build) {
      build.onResolve({ filter: /^ccxt$/ }, (args) =>
        args.pluginData === REAL_INDEX ? undefined : { path: `ccxt-${exchanges.join('-')}`, namespace: 'ccxt-shim' },
      );
      build.onLoad({ filter: /.*/, namespace: 'ccxt-shim' }, async () => {
        // The index ccxt's `exports` names (js/ccxt.js) sits beside the per-exchange sources (js/src/).
        const index = await build.resolve('ccxt', { kind: 'import-statement', resolveDir: root, pluginData: REAL_INDEX });
        if (index.errors.length > 0) return { errors: index.errors };
        return { contents: ccxtShimSource(path.join(path.dirname(index.path), 'src'), exchanges), loader: 'js', resolveDir: root };
      });
    },
  };
}

/** Resolves the named packages (and their subpaths) to an empty module. */
export function stubPackages(names: readonly string[] = STUBBED_PACKAGES): Plugin {
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|');
  return {
    name: 'stub-packages',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${escaped})(/.*)?$`) }, (args) => ({ path: args.path, namespace: 'stub' }));
      build.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default {};\n', loader: 'js' }));
    },
  };
}
