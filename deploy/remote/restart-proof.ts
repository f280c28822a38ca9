import type { Clock } from '../../app/core/clock.ts';
import { foldJournalEntry, proven, type JournalEntry, type MatchedLine, type ProofPatterns, type ProofProgress } from '../proof/journal-match.ts';
import type { RemoteShell } from './ssh-session.ts';
import { sh } from './sh-quote.ts';
import { stopReason, type StepOutcome } from './step.ts';
import { sudoSystemctl, unitName, unitStatus, type UnitStatus } from './unit-status.ts';

export interface ProofEvidence {
  previousInvocationId: string;
  invocationId: string;
  restartAtUs: number;
  startup?: MatchedLine;
  next?: MatchedLine;
  /** Restart command returned → both lines seen, ms. */
  restartToProofMs?: number;
  /** Local receipt of the next line minus its journal timestamp, ms. */
  detectionLatencyMs?: number;
  rejected: ProofProgress['rejected'];
  statusAfterGrace?: UnitStatus;
}

export interface ProofOptions {
  service: string;
  patterns: ProofPatterns;
  proofTimeoutMs: number;
  graceMs: number;
  clock: Clock;
  pollMs?: number;
  /** Cuts the proof wait and the grace short (SIGINT/SIGTERM, a lost lock); the result fails with its reason. */
  signal?: AbortSignal;
}

function failedState(before: UnitStatus, now: UnitStatus, invocationId: string): string | undefined {
  if (now.invocationId !== invocationId) return `service restarted by systemd (invocation ${invocationId} → ${now.invocationId || 'none'})`;
  if (now.nRestarts > before.nRestarts) return `NRestarts rose ${before.nRestarts} → ${now.nRestarts}`;
  if (now.activeState !== 'active' && now.activeState !== 'activating') return `unit is ${now.activeState}/${now.subState}`;
  return undefined;
}

/**
 * Restarts the unit and proves the new invocation by its own journal lines, streamed with
 * `journalctl -f` filtered on the new InvocationID. In parallel the unit state is polled so a crash
 * fails fast instead of waiting for the timeout.
 */
export async function restartAndProve(shell: RemoteShell, o: ProofOptions): Promise<StepOutcome<ProofEvidence>> {
  const unit = unitName(o.service);
  const ev: ProofEvidence = { previousInvocationId: '', invocationId: '', restartAtUs: 0, rejected: [] };
  if (o.signal?.aborted) return { ok: false, reason: stopReason(o.signal), evidence: ev };
  const before = await unitStatus(shell, o.service);
  if (!before.ok) return { ok: false, reason: before.reason, evidence: ev };
  ev.previousInvocationId = before.status.invocationId;
  const t = await shell.exec('date +%s%6N');
  ev.restartAtUs = Number(t.stdout.trim());
  const restart = await sudoSystemctl(shell, 'restart', unit);
  const restartedAt = o.clock.now();
  if (!restart.ok) return { ok: false, reason: restart.reason, evidence: ev };
  const after = await unitStatus(shell, o.service);
  if (!after.ok) return { ok: false, reason: after.reason, evidence: ev };
  ev.invocationId = after.status.invocationId;
  if (!ev.invocationId || ev.invocationId === ev.previousInvocationId) {
    return { ok: false, reason: `no new InvocationID after restart (state ${after.status.activeState})`, evidence: ev };
  }
  const ctx = { invocationId: ev.invocationId, notBeforeUs: ev.restartAtUs };
  let progress: ProofProgress = { rejected: [] };
  const ac = new AbortController();
  let failure: string | undefined;
  const onStop = () => {
    failure ??= stopReason(o.signal!);
    ac.abort();
  };
  o.signal?.addEventListener('abort', onStop, { once: true });
  if (o.signal?.aborted) onStop();
  const follow = shell.follow(
    sh('journalctl', `_SYSTEMD_INVOCATION_ID=${ev.invocationId}`, '-o', 'json', '-f', '-n', 'all', '--no-pager'),
    (line) => {
      let entry: JournalEntry;
      try {
        entry = JSON.parse(line) as JournalEntry;
      } catch {
        return;
      }
      const hadNext = progress.next !== undefined;
      progress = foldJournalEntry(progress, entry, ctx, o.patterns);
      if (!hadNext && progress.next) {
        ev.restartToProofMs = o.clock.now() - restartedAt;
        ev.detectionLatencyMs = Math.max(0, Date.now() - progress.next.timestampUs / 1000);
      }
      if (proven(progress)) ac.abort();
    },
    ac.signal,
  );
  const poll = (async () => {
    const deadline = restartedAt + o.proofTimeoutMs;
    while (!ac.signal.aborted && o.clock.now() < deadline) {
      await o.clock.sleep(o.pollMs ?? 500, ac.signal).catch(() => undefined);
      if (ac.signal.aborted) break;
      const s = await unitStatus(shell, o.service);
      failure = s.ok ? failedState(after.status, s.status, ev.invocationId) : s.reason;
      if (failure) break;
    }
    failure ??= proven(progress) ? undefined : `proof timeout: ${o.proofTimeoutMs} ms without ${progress.startup ? 'the first "Next memory cleanup" line' : 'the startup cleanup line'}`;
    ac.abort();
  })();
  const followEnd = await follow;
  ac.abort();
  await poll;
  o.signal?.removeEventListener('abort', onStop);
  Object.assign(ev, { startup: progress.startup, next: progress.next, rejected: progress.rejected });
  if (o.signal?.aborted) return { ok: false, reason: stopReason(o.signal), evidence: ev };
  if (!proven(progress)) {
    const why = failure ?? `journal follow ended: ${followEnd}`;
    return { ok: false, reason: why, evidence: ev };
  }
  await o.clock.sleep(o.graceMs, o.signal).catch(() => undefined);
  if (o.signal?.aborted) return { ok: false, reason: stopReason(o.signal), evidence: ev };
  const grace = await unitStatus(shell, o.service);
  if (!grace.ok) return { ok: false, reason: grace.reason, evidence: ev };
  ev.statusAfterGrace = grace.status;
  const graceFail = failedState(after.status, grace.status, ev.invocationId);
  if (graceFail) return { ok: false, reason: `within grace ${o.graceMs} ms: ${graceFail}`, evidence: ev };
  return { ok: true, reason: '', evidence: ev };
}
