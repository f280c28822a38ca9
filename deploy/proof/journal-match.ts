/** The fields of a `journalctl -o json` entry the proof looks at. */
export interface JournalEntry {
  MESSAGE?: string | number[] | null;
  _SYSTEMD_INVOCATION_ID?: string;
  _TRANSPORT?: string;
  __REALTIME_TIMESTAMP?: string;
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
