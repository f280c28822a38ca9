/** How old one component's data is, over the tracked symbols, in seconds of the service clock. */
export interface ComponentAge {
  /** Age of the freshest symbol's newest data: the component as a whole still updates. */
  newestSeconds: number;
  /** Age of the stalest symbol's newest data, and which symbol: one symbol can go quiet alone. */
  stalestSeconds: number;
  stalest: string;
  symbols: number;
}

/** Pure: each component's ages from the newest timestamp held per symbol; components with no data are left out. */
export function componentAges(now: number, newestBySymbol: Record<string, Iterable<readonly [string, number | undefined]>>): Record<string, ComponentAge> {
  const out: Record<string, ComponentAge> = {};
  for (const [component, rows] of Object.entries(newestBySymbol)) {
    let newest = -Infinity;
    let stalest: readonly [string, number] | undefined;
    let symbols = 0;
    for (const [symbol, t] of rows) {
      if (t === undefined || !Number.isFinite(t)) continue;
      symbols++;
      newest = Math.max(newest, t);
      if (stalest === undefined || t < stalest[1]) stalest = [symbol, t];
    }
    if (stalest === undefined) continue;
    const age = (t: number) => Math.round(Math.max(0, now - t) / 100) / 10;
    out[component] = { newestSeconds: age(newest), stalestSeconds: age(stalest[1]), stalest: stalest[0], symbols };
  }
  return out;
}
