/** Which markets a topN universe may take, and how far an incumbent may fall before it is replaced. */
export interface RankRules {
  topN: number;
  /** Quote and settle coin of the unified symbol BASE/QUOTE:SETTLE; 'any' takes every one. */
  quote: string;
  settle: string;
  /** Hysteresis: an incumbent stays while its turnover rank is at most topN + rankMargin. */
  rankMargin: number;
}

/** Quote and settle of a unified ccxt symbol such as BTC/USDT:USDT; undefined parts when absent. */
export function symbolParts(symbol: string): { quote: string | undefined; settle: string | undefined } {
  const match = /^[^/]+\/([^:]+)(?::(.+))?$/.exec(symbol);
  return { quote: match?.[1], settle: match?.[2] };
}

function eligible(symbol: string, rules: RankRules): boolean {
  const { quote, settle } = symbolParts(symbol);
  return (rules.quote === 'any' || quote === rules.quote) && (rules.settle === 'any' || settle === rules.settle);
}

/**
 * The topN listed symbols by 24h turnover, best first. A symbol without a turnover ranks after every
 * one that has one, in listing order. Incumbents (the current universe) that are still listed and
 * rank within topN + rankMargin keep their place, so a symbol near the cut does not flap; the other
 * places go to the best-ranked newcomers. A delisted incumbent is not a candidate, so it drops out.
 */
export function rankUniverse(listed: readonly string[], turnover: Readonly<Record<string, number>>, incumbents: ReadonlySet<string>, rules: RankRules): string[] {
  const candidates = [...new Set(listed)].filter((s) => eligible(s, rules));
  const score = (s: string) => {
    const t = turnover[s];
    return t !== undefined && Number.isFinite(t) ? t : -Infinity;
  };
  // Array.prototype.sort is stable: equal turnovers keep the listing order.
  const ranked = candidates.sort((a, b) => score(b) - score(a) || 0);
  const keepWithin = rules.topN + rules.rankMargin;
  // A listing position is no rank to hold: without a turnover an incumbent gets no grace.
  const kept = new Set(ranked.filter((s, i) => incumbents.has(s) && i < keepWithin && score(s) > -Infinity).slice(0, rules.topN));
  const newcomers = ranked.filter((s) => !kept.has(s)).slice(0, rules.topN - kept.size);
  const chosen = new Set([...kept, ...newcomers]);
  return ranked.filter((s) => chosen.has(s));
}
