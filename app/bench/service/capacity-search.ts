/**
 * The rated capacity: the highest offered rate at which a probe passes. Pure: the probe is injected,
 * so the search is tested apart from the processes it starts. Ramps up by `growth` from `startRate`
 * until a probe fails (or `maxRate`), steps down by the same factor while the first probes fail (to
 * `minRate`), then bisects between the best pass and the lowest fail until they are within
 * `resolution` of each other. Every probe counts against `maxProbes`, so the search is bounded.
 */
export interface SearchOptions {
  startRate: number;
  minRate: number;
  maxRate: number;
  /** > 1: the ramp factor. */
  growth: number;
  /** Stop when (lowest fail - best pass) / best pass is at most this. */
  resolution: number;
  maxProbes: number;
}

export interface Probed<P> {
  rate: number;
  pass: boolean;
  detail: P;
}

export interface SearchResult<P> {
  /** The highest passing rate, or 0 when even minRate failed. */
  rated: number;
  /** The lowest failing rate above it, when one was probed. */
  firstFail: number | undefined;
  probes: Array<Probed<P>>;
}

export async function searchCapacity<P>(probe: (rate: number) => Promise<{ pass: boolean; detail: P }>, o: SearchOptions): Promise<SearchResult<P>> {
  const probes: Array<Probed<P>> = [];
  let pass: number | undefined;
  let fail: number | undefined;
  const run = async (rate: number) => {
    const r = await probe(Math.round(rate));
    probes.push({ rate: Math.round(rate), ...r });
    if (r.pass) pass = Math.max(pass ?? 0, Math.round(rate));
    else fail = Math.min(fail ?? Infinity, Math.round(rate));
    return r.pass;
  };
  let rate = Math.min(Math.max(o.startRate, o.minRate), o.maxRate);
  // Ramp: up while passing, down while failing, until the pass/fail edge is bracketed or a bound is hit.
  while (probes.length < o.maxProbes) {
    const ok = await run(rate);
    if (ok && fail === undefined && rate < o.maxRate) rate = Math.min(rate * o.growth, o.maxRate);
    else if (!ok && pass === undefined && rate > o.minRate) rate = Math.max(rate / o.growth, o.minRate);
    else break;
  }
  while (pass !== undefined && fail !== undefined && (fail - pass) / pass > o.resolution && probes.length < o.maxProbes) {
    await run((pass + fail) / 2);
  }
  return { rated: pass ?? 0, firstFail: fail, probes };
}
