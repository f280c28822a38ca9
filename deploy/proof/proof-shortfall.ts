import { foldJournalEntry, messageOf, parseJournalLine, type JournalEntry, type ProofContext, type ProofPatterns, type ProofProgress } from './journal-match.ts';

/** The entries of a finished (not followed) `journalctl -o json` read. */
export function journalEntries(stdout: string): JournalEntry[] {
  return stdout.split('\n').flatMap((line) => parseJournalLine(line) ?? []);
}

export function foldAll(entries: readonly JournalEntry[], ctx: ProofContext, patterns: ProofPatterns): ProofProgress {
  return entries.reduce<ProofProgress>((p, e) => foldJournalEntry(p, e, ctx, patterns), { rejected: [] });
}

/** pino writes JSON lines: the message text is what a reader wants, not the envelope. */
function readable(entry: JournalEntry, max: number): string {
  const raw = messageOf(entry);
  let text = raw;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && 'msg' in parsed && typeof parsed.msg === 'string') text = parsed.msg;
  } catch {
    // not JSON: the raw line is the message
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export interface ShortfallInput {
  /** What the proven invocation itself logged. */
  invocation: readonly JournalEntry[];
  /** What the unit logged since the restart, whatever invocation journald filed it under. */
  unit: readonly JournalEntry[];
  ctx: ProofContext;
  patterns: ProofPatterns;
  /** Why each journal follow ended before the proof did. */
  followEnds: readonly string[];
  /** journald's own "Suppressed N messages from <unit>" entries (its rate limit) since the restart. */
  dropped?: readonly JournalEntry[];
  /** The unit proven, as journald names it in those entries. */
  unitName?: string;
  tail?: number;
}

/**
 * Names what the journal held when a proof timed out, so a timeout tells a stuck service (its last
 * lines), a line journald filed without the invocation's ID, and a lost journal follow apart.
 */
export function describeShortfall(s: ShortfallInput): string {
  const parts: string[] = [];
  const suppressed = (s.dropped ?? []).reduce((n, e) => {
    const m = /Suppressed (\d+) messages from (\S+)/.exec(messageOf(e));
    const mine = m?.[2] !== undefined && (m[2] === s.unitName || m[2].endsWith(`/${s.unitName ?? ''}`));
    return mine && Number(e.__REALTIME_TIMESTAMP ?? 0) >= s.ctx.notBeforeUs ? n + Number(m[1]) : n;
  }, 0);
  if (suppressed > 0) parts.push(`journald suppressed ${suppressed} lines of the unit (RateLimitBurst)`);
  const last = s.invocation.slice(-(s.tail ?? 3)).map((e) => JSON.stringify(readable(e, 160)));
  parts.push(last.length ? `its last lines: ${last.join(' | ')}` : 'the invocation logged nothing');
  const strays = s.unit.filter((e) => e._SYSTEMD_INVOCATION_ID !== s.ctx.invocationId && Number(e.__REALTIME_TIMESTAMP ?? 0) >= s.ctx.notBeforeUs);
  const candidates = strays.filter((e) => s.patterns.startup.test(messageOf(e)) || s.patterns.next.test(messageOf(e)));
  if (candidates.length) parts.push(`${candidates.length} proof line(s) of the unit are filed under invocation ${[...new Set(candidates.map((e) => e._SYSTEMD_INVOCATION_ID ?? '(none)'))].join(', ')}`);
  if (s.followEnds.length) parts.push(`the journal follow ended early ${s.followEnds.length}×: ${[...new Set(s.followEnds)].join(', ')}`);
  return parts.join('; ');
}
