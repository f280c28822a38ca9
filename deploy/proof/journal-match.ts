import { z } from 'zod';

/** The fields of a `journalctl -o json` entry the proof looks at (MESSAGE is a byte array when not UTF-8). */
export const JournalEntrySchema = z.object({
  MESSAGE: z.union([z.string(), z.array(z.number()), z.null()]).optional(),
  _SYSTEMD_INVOCATION_ID: z.string().optional(),
  _TRANSPORT: z.string().optional(),
  __REALTIME_TIMESTAMP: z.string().optional(),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;

/** One line of `journalctl -o json`, or undefined when it is not an entry. */
export function parseJournalLine(line: string): JournalEntry | undefined {
  try {
    const r = JournalEntrySchema.safeParse(JSON.parse(line));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}

export interface ProofPatterns {
  startup: RegExp;
  next: RegExp;
}

export interface ProofContext {
  invocationId: string;
  /** Microseconds since epoch, taken on the host just before the restart. */
  notBeforeUs: number;
}

export interface MatchedLine {
  message: string;
  timestampUs: number;
}

export interface ProofProgress {
  startup?: MatchedLine;
  next?: MatchedLine;
  rejected: { message: string; why: string }[];
}

export function messageOf(entry: JournalEntry): string {
  const m = entry.MESSAGE;
  if (Array.isArray(m)) return Buffer.from(m).toString('utf8');
  return typeof m === 'string' ? m : '';
}

/**
 * Folds one journal entry into the proof. Only the service's own stdout from this invocation, written
 * after the restart, can count: a stale line (other invocation or older), or one written through
 * syslog/the journal API (e.g. `logger`, `systemd-cat` by someone else), is recorded as rejected.
 * The first `Next memory cleanup` line counts only after the startup line.
 */
export function foldJournalEntry(progress: ProofProgress, entry: JournalEntry, ctx: ProofContext, patterns: ProofPatterns): ProofProgress {
  const message = messageOf(entry);
  const isCandidate = patterns.startup.test(message) || patterns.next.test(message);
  if (!isCandidate) return progress;
  const ts = Number(entry.__REALTIME_TIMESTAMP ?? 0);
  let why: string | undefined;
  if (entry._SYSTEMD_INVOCATION_ID !== ctx.invocationId) why = `other invocation ${entry._SYSTEMD_INVOCATION_ID ?? '(none)'}`;
  else if (ts < ctx.notBeforeUs) why = 'written before the restart';
  else if (entry._TRANSPORT !== 'stdout') why = `transport ${entry._TRANSPORT ?? '(none)'}, not the service's stdout`;
  if (why) return { ...progress, rejected: [...progress.rejected, { message, why }] };
  const line = { message, timestampUs: ts };
  if (!progress.startup && patterns.startup.test(message)) return { ...progress, startup: line };
  if (progress.startup && !progress.next && patterns.next.test(message)) return { ...progress, next: line };
  return progress;
}

export const proven = (p: ProofProgress): boolean => p.startup !== undefined && p.next !== undefined;
