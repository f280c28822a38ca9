import { describe, expect, it } from 'vitest';
import { NEXT_CLEANUP_PATTERN, STARTUP_LINE_PATTERN } from '../config/defaults.ts';
import { foldJournalEntry, proven, type JournalEntry, type ProofProgress } from './journal-match.ts';

const patterns = { startup: new RegExp(STARTUP_LINE_PATTERN, 'u'), next: new RegExp(NEXT_CLEANUP_PATTERN, 'u') };
const ctx = { invocationId: 'inv-new', notBeforeUs: 1_000_000 };
const STARTUP = '✅ Startup cleanup complete in 0.01s: OHLCV trimmed: 4, OI trimmed: 2, GC: yes, Memory: 187.2MB → 171.4MB (-15.8MB freed)';
const NEXT = '🧹 Next memory cleanup in 600s';
const entry = (MESSAGE: JournalEntry['MESSAGE'], over: Partial<JournalEntry> = {}): JournalEntry => ({
  MESSAGE,
  _SYSTEMD_INVOCATION_ID: 'inv-new',
  _TRANSPORT: 'stdout',
  __REALTIME_TIMESTAMP: '2000000',
  ...over,
});
const fold = (entries: JournalEntry[]): ProofProgress => entries.reduce<ProofProgress>((p, e) => foldJournalEntry(p, e, ctx, patterns), { rejected: [] });

describe('journal proof', () => {
  it('proves with the startup line then the first next-cleanup line of this invocation', () => {
    const p = fold([entry('🧹 Memory cleanup task started (interval: 600s)'), entry(STARTUP), entry(NEXT)]);
    expect(proven(p)).toBe(true);
    expect(p.startup?.message).toBe(STARTUP);
  });
  it('matches inside a pino JSON line and a byte-array MESSAGE', () => {
    const json = JSON.stringify({ level: 30, msg: STARTUP });
    const p = fold([entry(json), entry([...Buffer.from(NEXT)])]);
    expect(proven(p)).toBe(true);
  });
  it('needs the next-cleanup line: a loop that exits after startup does not prove', () => {
    expect(proven(fold([entry(STARTUP)]))).toBe(false);
  });
  it('does not count a next line before the startup line', () => {
    expect(proven(fold([entry(NEXT), entry(STARTUP)]))).toBe(false);
  });
  it('rejects stale lines from the previous invocation', () => {
    const p = fold([entry(STARTUP, { _SYSTEMD_INVOCATION_ID: 'inv-old' }), entry(NEXT, { _SYSTEMD_INVOCATION_ID: 'inv-old' })]);
    expect(proven(p)).toBe(false);
    expect(p.rejected.map((r) => r.why)).toEqual(['other invocation inv-old', 'other invocation inv-old']);
  });
  it('rejects lines written before the restart', () => {
    const p = fold([entry(STARTUP, { __REALTIME_TIMESTAMP: '999999' }), entry(NEXT)]);
    expect(proven(p)).toBe(false);
    expect(p.rejected[0]?.why).toBe('written before the restart');
  });
  it('rejects self-written lines (syslog or journal transport)', () => {
    const p = fold([entry(STARTUP, { _TRANSPORT: 'syslog' }), entry(NEXT, { _TRANSPORT: 'journal' })]);
    expect(proven(p)).toBe(false);
    expect(p.rejected).toHaveLength(2);
  });
  it('rejects a startup line with a malformed number format', () => {
    const bad = STARTUP.replace('0.01s', '0.1s');
    expect(proven(fold([entry(bad), entry(NEXT)]))).toBe(false);
  });
});
