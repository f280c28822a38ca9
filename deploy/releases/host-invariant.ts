import { currentRelease, manifestOf, type ManifestEntry, type ReleaseRecord } from './release-record.ts';

/** One entry of a backup manifest: what the revert puts back at `path` (or removes). */
export interface BackupEntry {
  path: string;
  existed: boolean;
  sha256?: string | undefined;
}

/** One host at one moment: what reconcile reads over SSH, and what the scripted test host knows exactly. */
export interface HostState {
  records: readonly ReleaseRecord[];
  /** The change in flight (a deploy, setup or rollback that has not confirmed), with its backup. */
  pending: { releaseId: string; backup: readonly BackupEntry[] | null } | null;
  /** The host's revert timer is active. */
  timerArmed: boolean;
  /** sha256 per path on disk (null: missing); covers at least the paths of `current` and of the backup. */
  disk: ReadonlyMap<string, string | null>;
  /** The bytes the service runs, per path; null when it runs none of them (stopped, or started before they changed). */
  running: ReadonlyMap<string, string | null> | null;
  /** Intact objects of the content store. */
  objects: ReadonlySet<string>;
}

export type InvariantVerdict =
  | { holds: true; state: 'settled' | 'in-flight'; current: string | undefined }
  | { holds: false; current: string | undefined; problems: string[] };

const short = (sha: string | null | undefined) => (sha ? sha.slice(0, 8) : 'missing');

/** (a): the service runs `current`'s bytes, which are on disk and restorable from the store. */
function settledProblems(s: HostState, current: string, manifest: readonly ManifestEntry[]): string[] {
  const problems: string[] = [];
  if (manifest.length > 0 && s.running === null) problems.push(`the service is not running ${current}'s bytes (stopped, or started before its files changed)`);
  for (const e of manifest) {
    const disk = s.disk.get(e.path) ?? null;
    if (disk !== e.sha256) problems.push(`${e.path} on disk is ${short(disk)}, ${current} has ${short(e.sha256)}`);
    else if (s.running !== null && (s.running.get(e.path) ?? null) !== e.sha256) problems.push(`the service runs other bytes of ${e.path} than ${current}`);
    if (!s.objects.has(e.sha256)) problems.push(`${current}'s object of ${e.path} (${short(e.sha256)}) is not in the store`);
  }
  return problems;
}

/** (b): the pending backup, restored over the disk, gives back exactly `current`'s files, and the timer will run it. */
function inFlightProblems(s: HostState, pending: NonNullable<HostState['pending']>, current: string | undefined, manifest: readonly ManifestEntry[]): string[] {
  const problems: string[] = [];
  if (!s.timerArmed) problems.push(`${pending.releaseId} is pending but the revert timer is not armed`);
  if (pending.backup === null) return [...problems, `${pending.releaseId} is pending with no backup to restore`];
  const backup = new Map(pending.backup.map((b) => [b.path, b]));
  for (const e of manifest) {
    const b = backup.get(e.path);
    if (!b) {
      if ((s.disk.get(e.path) ?? null) !== e.sha256) problems.push(`${e.path} differs from ${current ?? 'the record'} and the backup of ${pending.releaseId} does not cover it`);
    } else if (!b.existed || b.sha256 !== e.sha256) problems.push(`the backup of ${pending.releaseId} restores ${e.path} to ${short(b.sha256)}, not ${current ?? 'the record'}'s ${short(e.sha256)}`);
    else if (!s.objects.has(e.sha256)) problems.push(`the backup of ${pending.releaseId} needs object ${short(e.sha256)} for ${e.path}, which is not in the store`);
  }
  const kept = new Set(manifest.map((e) => e.path));
  for (const b of pending.backup) if (current !== undefined && b.existed && !kept.has(b.path)) problems.push(`the backup of ${pending.releaseId} restores ${b.path}, which ${current} does not have`);
  return problems;
}

/**
 * The deploy invariant. At every moment exactly one holds: (a) settled: nothing pending, and the service
 * runs the bytes of the record's `current`, a verified release; or (b) in flight: a pending marker names
 * the change, and the armed timer will restore `current`. A host with no verified release yet is
 * settled while nothing is pending. Reconcile and the fault-history tests judge hosts with this alone.
 */
export function checkInvariant(s: HostState): InvariantVerdict {
  const current = currentRelease(s.records);
  const manifest = current === undefined ? [] : manifestOf(s.records, current);
  if (manifest === undefined) return { holds: false, current, problems: [`current release ${current ?? ''} has no manifest`] };
  const problems = s.pending ? inFlightProblems(s, s.pending, current, manifest) : current === undefined ? [] : settledProblems(s, current, manifest);
  if (problems.length > 0) return { holds: false, current, problems };
  return { holds: true, state: s.pending ? 'in-flight' : 'settled', current };
}
