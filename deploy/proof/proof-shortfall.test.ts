import { describe, expect, it } from 'vitest';
import { NEXT_CLEANUP_PATTERN, STARTUP_LINE_PATTERN } from '../config/defaults.ts';
import type { JournalEntry } from './journal-match.ts';
import { describeShortfall, foldAll, journalEntries } from './proof-shortfall.ts';

const patterns = { startup: new RegExp(STARTUP_LINE_PATTERN, 'u'), next: new RegExp(NEXT_CLEANUP_PATTERN, 'u') };
const ctx = { invocationId: 'inv-new', notBeforeUs: 1_000_000 };
const STARTUP = '✅ Startup cleanup complete in 0.01s: OHLCV trimmed: 4, OI trimmed: 2, GC: yes, Memory: 187.2MB → 171.4MB (-15.8MB freed)';
const at = (MESSAGE: string, over: Partial<JournalEntry> = {}): JournalEntry => ({ MESSAGE, _SYSTEMD_INVOCATION_ID: 'inv-new', _TRANSPORT: 'stdout', __REALTIME_TIMESTAMP: '2000000', ...over });
const pino = (msg: string) => JSON.stringify({ level: 30, time: 1, service: 'leakproof', msg });

describe('describeShortfall', () => {
  it("names a stuck service by its own last lines, as pino's messages", () => {
    const invocation = ['Starting leakproof market data service', 'Emulator listening on http://127.0.0.1:1 (40 symbols, speed 1x)', 'Loading markets', 'Waiting for markets'].map((m) => at(pino(m)));
    expect(describeShortfall({ invocation, unit: invocation, ctx, patterns, followEnds: [] })).toBe('its last lines: "Emulator listening on http://127.0.0.1:1 (40 symbols, speed 1x)" | "Loading markets" | "Waiting for markets"');
  });
  it('names a proof line journald filed under no invocation, and a follow that ended early', () => {
    const lost = at(pino(STARTUP), { _SYSTEMD_INVOCATION_ID: undefined });
    const stale = at(pino(STARTUP), { _SYSTEMD_INVOCATION_ID: 'inv-old', __REALTIME_TIMESTAMP: '10' });
    const text = describeShortfall({ invocation: [], unit: [stale, lost], ctx, patterns, followEnds: ['command ended', 'command ended'] });
    expect(text).toBe('the invocation logged nothing; 1 proof line(s) of the unit are filed under invocation (none); the journal follow ended early 2×: command ended');
  });
  it("reads journald's own suppression message: only its lines of this unit since the restart count", () => {
    const drop = (n: number, unit: string, ts = '2000000') => at(`Suppressed ${n} messages from ${unit}`, { _SYSTEMD_INVOCATION_ID: undefined, _TRANSPORT: 'driver', __REALTIME_TIMESTAMP: ts });
    const dropped = [drop(4719, 'leakproof.service'), drop(12, '/system.slice/leakproof.service'), drop(99, 'other.service'), drop(7, 'leakproof.service', '10')];
    expect(describeShortfall({ invocation: [], unit: [], ctx, patterns, followEnds: [], dropped, unitName: 'leakproof.service' })).toBe('journald suppressed 4731 lines of the unit (RateLimitBurst); the invocation logged nothing');
  });
  it('cuts a long line', () => {
    expect(describeShortfall({ invocation: [at('x'.repeat(500))], unit: [], ctx, patterns, followEnds: [] })).toMatch(/^its last lines: "x{159}…"$/);
  });
});

describe('foldAll over a whole read', () => {
  it('proves from journalctl -o json output, skipping lines that are not entries', () => {
    const out = [JSON.stringify(at(pino(STARTUP))), 'garbage', JSON.stringify(at('🧹 Next memory cleanup in 600s')), ''].join('\n');
    const p = foldAll(journalEntries(out), ctx, patterns);
    expect(p.startup?.message).toMatch(/Startup cleanup complete/);
    expect(p.next?.message).toMatch(/Next memory cleanup/);
  });
});
