import type { MarketSource } from '../../app/exchange/market-source.ts';

/**
 * The emulator lists its symbols in a fixed order, so a top-N universe never changes by itself. For
 * the soak, each universe refresh sees the list shifted by `step`, as if the volume ranking moved:
 * symbols rotate out (the real build evicts them, the fix-removed build keeps them forever).
 */
export function rotatingSource(source: MarketSource, step: number): MarketSource {
  let calls = 0;
  const loadSymbols = async () => {
    const all = await source.loadSymbols();
    if (all.length === 0) return all;
    const shift = (calls++ * step) % all.length;
    return [...all.slice(shift), ...all.slice(0, shift)];
  };
  return new Proxy(source, {
    get(target, prop) {
      if (prop === 'loadSymbols') return loadSymbols;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
