import type { Clock } from '../../app/core/clock.ts';
import { foldJournalEntry, parseJournalLine, proven, type MatchedLine, type ProofContext, type ProofPatterns, type ProofProgress } from '../proof/journal-match.ts';
import { describeShortfall, foldAll, journalEntries } from '../proof/proof-shortfall.ts';
import type { RemoteShell } from './ssh-session.ts';
import { sh } from './sh-quote.ts';
import { stopReason, type StepOutcome } from './step.ts';
import { statusVia, type ProofLink } from './proof-link.ts';
import { guardedSystemctl, unitStatus, type UnitStatus } from './unit-status.ts';

export interface ProofEvidence {
  /** The unit proven (one instance per shard when sharded). */
  unit: string;
  previousInvocationId: string;
  invocationId: string;
  restartAtUs: number;
  startup?: MatchedLine;
  next?: MatchedLine;
  /** Restart command returned → both lines seen, ms. */
  restartToProofMs?: number;
  /** Local receipt of the next line minus its journal timestamp, ms. */
  detectionLatencyMs?: number;
  /** Set when the lines were found only by the read after a timeout, not by the follow. */
  provenBy?: 'reread';
  rejected: ProofProgress['rejected'];
  statusAfterGrace?: UnitStatus;
  /** New connections the proof needed after its link dropped. */
  reconnects?: number;
}

export interface ProofOptions {
  /** Restarted together in one command, then each proven by its own invocation's lines. */
  units: string[];
  patterns: ProofPatterns;
  proofTimeoutMs: number;
  graceMs: number;
  clock: Clock;
  pollMs?: number;
  /** Cuts the proof wait and the grace short (SIGINT/SIGTERM, a lost lock); the result fails with its reason. */
  signal?: AbortSignal;
  /** The restart runs only while this host-side test passes (new bytes go live only while still pending). */
  guard?: { test: string; refused: string };
  /** A fresh connection when the link drops mid-proof (tried with backoff until the proof deadline). */
  reconnect?: () => Promise<RemoteShell | undefined>;
}

function failedState(before: UnitStatus, now: UnitStatus, invocationId: string): string | undefined {
  if (now.invocationId !== invocationId) return `service restarted by systemd (invocation ${invocationId} → ${now.invocationId || 'none'})`;
  if (now.nRestarts > before.nRestarts) return `NRestarts rose ${before.nRestarts} → ${now.nRestarts}`;
  if (now.activeState !== 'active' && now.activeState !== 'activating') return `unit is ${now.activeState}/${now.subState}`;
  return undefined;
}

/**
 * Restarts the units (one `systemctl restart`, so shards go down and up together) and proves each new
 * invocation by its own journal lines. With several units a failure names the unit; the evidence holds
 * every instance's proof, in unit order.
 */
export async function restartAndProve(shell: RemoteShell, o: ProofOptions): Promise<StepOutcome<ProofEvidence[]>> {
  const evs: ProofEvidence[] = o.units.map((unit) => ({ unit, previousInvocationId: '', invocationId: '', restartAtUs: 0, rejected: [] }));
  if (o.signal?.aborted) return { ok: false, reason: stopReason(o.signal), evidence: evs };
  const before: UnitStatus[] = [];
  for (const ev of evs) {
    const s = await unitStatus(shell, ev.unit);
    if (!s.ok) return { ok: false, reason: s.reason, evidence: evs };
    ev.previousInvocationId = s.status.invocationId;
    before.push(s.status);
  }
  const t = await shell.exec('date +%s%6N');
  const restartAtUs = Number(t.stdout.trim());
  for (const ev of evs) ev.restartAtUs = restartAtUs;
  const restart = await guardedSystemctl(shell, o.guard, 'restart', ...o.units);
  const restartedAt = o.clock.now();
  if (!restart.ok) return { ok: false, reason: restart.reason, evidence: evs };
  const link: ProofLink = { shell, reconnect: o.reconnect, clock: o.clock, reconnects: 0 };
  const results = await Promise.all(evs.map((ev) => proveInvocation(link, ev, restartedAt, o)));
  const bad = results.map((r, i) => (r ? `${o.units.length > 1 ? `${o.units[i]}: ` : ''}${r}` : '')).filter(Boolean);
  return bad.length ? { ok: false, reason: bad.join('; '), evidence: evs } : { ok: true, reason: '', evidence: evs };
}

/** SD_MESSAGE_JOURNAL_DROPPED: journald's "Suppressed N messages from <unit>" when a unit passes RateLimitBurst. */
const JOURNAL_DROPPED = 'a596d6fe7bfa4994828e72309e95d61e';

/** Each new follow replays the invocation from its first line, so a lost one is simply started again. */
const MAX_FOLLOWS = 5;
const journalOf = (invocationId: string, follow: boolean) => sh('journalctl', `_SYSTEMD_INVOCATION_ID=${invocationId}`, '-o', 'json', ...(follow ? ['-f'] : []), '-n', 'all', '--no-pager');

/**
 * After a timeout, the journal is read once more, whole: a line a stalled follow missed still proves,
 * and when none is there the reason names what the invocation and the unit did log.
 */
async function reread(shell: RemoteShell, ev: ProofEvidence, ctx: ProofContext, o: ProofOptions, followEnds: string[]): Promise<{ progress: ProofProgress; shortfall: string }> {
  const since = `@${Math.floor(ctx.notBeforeUs / 1e6)}`;
  const [inv, unit, dropped] = await Promise.all([
    shell.exec(journalOf(ev.invocationId, false), { timeoutMs: 15_000 }),
    shell.exec(sh('journalctl', `_SYSTEMD_UNIT=${ev.unit}`, '--since', since, '-o', 'json', '--no-pager'), { timeoutMs: 15_000 }),
    shell.exec(sh('journalctl', `MESSAGE_ID=${JOURNAL_DROPPED}`, '--since', since, '-o', 'json', '--no-pager'), { timeoutMs: 15_000 }),
  ]);
  if (inv.code !== 0) return { progress: { rejected: [] }, shortfall: `the journal could not be read again: ${inv.failure ?? (inv.stderr.trim() || `exit ${String(inv.code)}`)}` };
  const invocation = journalEntries(inv.stdout);
  return { progress: foldAll(invocation, ctx, o.patterns), shortfall: describeShortfall({ invocation, unit: journalEntries(unit.stdout), ctx, patterns: o.patterns, followEnds, dropped: journalEntries(dropped.stdout), unitName: ev.unit }) };
}

/** Proves one restarted unit; fills `ev` and returns why it failed, or undefined when proven and still up after the grace. */
async function proveInvocation(link: ProofLink, ev: ProofEvidence, restartedAt: number, o: ProofOptions): Promise<string | undefined> {
  const deadline = restartedAt + o.proofTimeoutMs;
  const after = await statusVia(link, ev.unit, deadline, o.signal);
  if (!after.ok) return after.reason;
  ev.invocationId = after.status.invocationId;
  if (!ev.invocationId || ev.invocationId === ev.previousInvocationId) return `no new InvocationID after restart (state ${after.status.activeState})`;
  const ctx = { invocationId: ev.invocationId, notBeforeUs: ev.restartAtUs };
  let progress: ProofProgress = { rejected: [] };
  const ac = new AbortController();
  let failure: string | undefined;
  const followEnds: string[] = [];
  const onStop = () => {
    failure ??= stopReason(o.signal!);
    ac.abort();
  };
  o.signal?.addEventListener('abort', onStop, { once: true });
  if (o.signal?.aborted) onStop();
  const onLine = (line: string) => {
    const entry = parseJournalLine(line);
    if (!entry) return;
    const hadNext = progress.next !== undefined;
    progress = foldJournalEntry(progress, entry, ctx, o.patterns);
    if (!hadNext && progress.next) {
      ev.restartToProofMs = o.clock.now() - restartedAt;
      ev.detectionLatencyMs = Math.max(0, Date.now() - progress.next.timestampUs / 1000);
    }
    if (proven(progress)) ac.abort();
  };
  const following = (async () => {
    for (let i = 0; i < MAX_FOLLOWS && !ac.signal.aborted; i += 1) {
      progress = { rejected: [] };
      const end = await link.shell.follow(journalOf(ev.invocationId, true), onLine, ac.signal);
      if (ac.signal.aborted) return;
      followEnds.push(end);
      // A follow cut by a dropped link is started again on the next one; the deadline bounds the loop.
      if (link.shell.isClosed()) i -= 1;
      await o.clock.sleep(1_000, ac.signal).catch(() => undefined);
    }
  })();
  while (!ac.signal.aborted && o.clock.now() < deadline) {
    await o.clock.sleep(o.pollMs ?? 500, ac.signal).catch(() => undefined);
    if (ac.signal.aborted) break;
    const s = await statusVia(link, ev.unit, deadline, ac.signal);
    if (!s.ok && ac.signal.aborted) break;
    failure = s.ok ? failedState(after.status, s.status, ev.invocationId) : s.reason;
    if (failure) break;
  }
  ac.abort();
  await following;
  o.signal?.removeEventListener('abort', onStop);
  if (o.signal?.aborted) return stopReason(o.signal);
  if (!failure && !proven(progress)) {
    const again = await reread(link.shell, ev, ctx, o, followEnds);
    if (proven(again.progress)) {
      progress = again.progress;
      ev.restartToProofMs = o.clock.now() - restartedAt;
      ev.provenBy = 'reread';
    } else {
      failure = `proof timeout: ${o.proofTimeoutMs} ms without ${progress.startup ?? again.progress.startup ? 'the first "Next memory cleanup" line' : 'the startup cleanup line'}; ${again.shortfall}`;
    }
  }
  Object.assign(ev, { startup: progress.startup, next: progress.next, rejected: progress.rejected });
  if (failure) return failure;
  await o.clock.sleep(o.graceMs, o.signal).catch(() => undefined);
  if (o.signal?.aborted) return stopReason(o.signal);
  const grace = await statusVia(link, ev.unit, Math.max(deadline, o.clock.now() + 10_000), o.signal);
  if (link.reconnects > 0) ev.reconnects = link.reconnects;
  if (!grace.ok) return grace.reason;
  ev.statusAfterGrace = grace.status;
  const graceFail = failedState(after.status, grace.status, ev.invocationId);
  return graceFail ? `within grace ${o.graceMs} ms: ${graceFail}` : undefined;
}
