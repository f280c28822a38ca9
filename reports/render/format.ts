import type { SourceLocation } from '../schemas/common.ts';

export const fmtMb = (mb: number): string => `${mb.toFixed(1)} MB`;
export const fmtRate = (mbPerMin: number): string => `${mbPerMin >= 0 ? '+' : ''}${mbPerMin.toFixed(2)} MB/min`;
export const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
export const fmtPct = (share: number): string => `${Math.round(share * 100)}%`;

/** `file:line:col`, the form editors and terminals turn into links. */
export const locText = (loc: Pick<SourceLocation, 'file' | 'line' | 'col'>): string => `${loc.file}:${loc.line}:${loc.col}`;

/**
 * Reports are written to reports/out/<kind>/, three levels below the repository root, so a
 * relative link with a GitHub-style #L anchor opens the source from the report's own folder.
 */
export const locHref = (loc: Pick<SourceLocation, 'file' | 'line'>): string => `../../../${loc.file}#L${loc.line}`;

export const verdictText = (verdict: string): string => verdict.replaceAll('_', ' ');
