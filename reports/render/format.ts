import type { SourceLocation } from '../schemas/common.ts';

export const fmtMb = (mb: number): string => `${mb.toFixed(1)} MB`;
export const fmtRate = (mbPerMin: number): string => `${mbPerMin >= 0 ? '+' : ''}${mbPerMin.toFixed(2)} MB/min`;
/** A slope per simulated hour with its 95% interval: `+9.12 [9.06, 9.17] MB/sim h`. */
export const fmtSimRate = (s: { slope: number; lo: number; hi: number } | null): string =>
  s === null ? 'n/a' : `${s.slope >= 0 ? '+' : ''}${s.slope.toFixed(2)} [${s.lo.toFixed(2)}, ${s.hi.toFixed(2)}] MB/sim h`;
export const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
export const fmtPct = (share: number): string => `${Math.round(share * 100)}%`;
export const fmtRatio = (ratio: number | null): string => (ratio === null ? 'n/a' : `${ratio.toFixed(1)}×`);

/** `file:line:col`, the form editors and terminals turn into links. */
export const locText = (loc: Pick<SourceLocation, 'file' | 'line' | 'col'>): string => `${loc.file}:${loc.line}:${loc.col}`;

/**
 * Reports are written to reports/out/<kind>/, three levels below the repository root, so a
 * relative link with a GitHub-style #L anchor opens the source from the report's own folder.
 */
export const locHref = (loc: Pick<SourceLocation, 'file' | 'line'>): string => `../../../${loc.file}#L${loc.line}`;

export const verdictText = (verdict: string): string => verdict.replaceAll('_', ' ');
