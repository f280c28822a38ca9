import { describe, expect, it } from 'vitest';
import type { CleanupResult } from '../manager/cleanup-result.ts';
import { PERIODIC_LINE_RE, STARTUP_LINE_PATTERN, STARTUP_LINE_RE, completeLine, nextCleanupLine, NEXT_CLEANUP_RE, taskStartedLine } from './cleanup-lines.ts';

const result = (over: Partial<CleanupResult> = {}): CleanupResult => ({
  ohlcvTrimmed: 4,
  oiTrimmed: 2,
  evicted: 0,
  gcRan: true,
  memoryBeforeMb: 187.2,
  memoryAfterMb: 171.4,
  durationMs: 3,
  gcMs: 9,
  ...over,
});

describe('cleanup lines', () => {
  it('renders the startup line exactly as the original did', () => {
    expect(completeLine('startup', result())).toBe(
      '✅ Startup cleanup complete in 0.01s: OHLCV trimmed: 4, OI trimmed: 2, GC: yes, Memory: 187.2MB → 171.4MB (-15.8MB freed)',
    );
  });

  it('says a rise grew, not freed, and keeps before/after/delta consistent after rounding', () => {
    const line = completeLine('periodic', result({ memoryBeforeMb: 100.04, memoryAfterMb: 100.36, gcRan: false, durationMs: 1234, gcMs: 0 }));
    expect(line).toBe(
      '✅ Memory cleanup complete in 1.23s: OHLCV trimmed: 4, OI trimmed: 2, GC: no, Memory: 100.0MB → 100.4MB (+0.4MB grew)',
    );
    expect(completeLine('startup', result({ memoryBeforeMb: 50, memoryAfterMb: 50 }))).toContain('(-0.0MB freed)');
    expect(completeLine('startup', result({ memoryBeforeMb: 270.3, memoryAfterMb: 270.5 }))).toContain('Memory: 270.3MB → 270.5MB (+0.2MB grew)');
  });

  it('matches the documented contract regexes, and each regex only its own kind', () => {
    const startup = completeLine('startup', result());
    const periodic = completeLine('periodic', result());
    expect(startup).toMatch(STARTUP_LINE_RE);
    expect(periodic).toMatch(PERIODIC_LINE_RE);
    expect(periodic).not.toMatch(STARTUP_LINE_RE);
    expect(startup).not.toMatch(PERIODIC_LINE_RE);
    // The documented regex copied by hand, so a drift of the exported one cannot hide here.
    const design =
      /✅ Startup cleanup complete in \d+\.\d{2}s: OHLCV trimmed: \d+, OI trimmed: \d+, GC: (yes|no), Memory: \d+\.\dMB → \d+\.\dMB \([+-]\d+\.\dMB (freed|grew)\)/u;
    expect(startup).toMatch(design);
    expect(new RegExp(STARTUP_LINE_PATTERN, 'u').source).toBe(STARTUP_LINE_RE.source);
    expect(nextCleanupLine(600)).toMatch(NEXT_CLEANUP_RE);
  });

  it('accepts a rise, a drop, and the older "+x freed" wording, so no legit deploy or rollback fails its proof', () => {
    const grew = completeLine('startup', result({ memoryBeforeMb: 270.3, memoryAfterMb: 270.5 }));
    const older = '✅ Startup cleanup complete in 0.04s: OHLCV trimmed: 0, OI trimmed: 0, GC: yes, Memory: 270.3MB → 270.5MB (+0.2MB freed)';
    for (const line of [grew, older, completeLine('startup', result())]) expect(line).toMatch(STARTUP_LINE_RE);
    expect(completeLine('periodic', result({ memoryBeforeMb: 1, memoryAfterMb: 2 }))).toMatch(PERIODIC_LINE_RE);
    expect(grew.replace('grew', 'shrank')).not.toMatch(STARTUP_LINE_RE);
    expect(taskStartedLine(600)).toBe('🧹 Memory cleanup task started (interval: 600s)');
  });
});
