export type ReleaseStatus = 'verified' | 'failed' | 'reverted' | 'rolled-back';

export interface ManifestEntry {
  path: string;
  sha256: string;
  mode: number;
}

/** What a release was built from, kept with its verified record: the bundle's hash beside QA's sources hash. */
export interface ReleaseBuildInfo {
  bundleSha256: string;
  sourcesSha256: string;
  qaVerdict: 'PASS' | 'CONDITIONAL_PASS' | 'FAIL' | null;
}

/** One line of `<appDir>/releases.jsonl`. Events, appended; never rewritten. */
export interface ReleaseRecord {
  id: string;
  time: string;
  status: ReleaseStatus;
  manifest?: ManifestEntry[];
  reason?: string;
  /** For a rollback's verification: the release it restored. */
  via?: 'deploy' | 'rollback' | 'setup';
  build?: ReleaseBuildInfo;
}

export interface ReleaseSummary {
  id: string;
  firstVerifiedAt: string | undefined;
  lastStatus: ReleaseStatus;
  lastTime: string;
  files: number;
  current: boolean;
}

const BAD: ReadonlySet<ReleaseStatus> = new Set(['failed', 'reverted', 'rolled-back']);

/** The release the host runs now: the id of the latest `verified` event. */
export function currentRelease(records: readonly ReleaseRecord[]): string | undefined {
  return [...records].reverse().find((r) => r.status === 'verified')?.id;
}

/** Full manifest of a release: its verified record with a manifest. */
export function manifestOf(records: readonly ReleaseRecord[], id: string): ManifestEntry[] | undefined {
  return records.find((r) => r.id === id && r.status === 'verified' && r.manifest)?.manifest;
}

/**
 * The rollback target: walking back from the current release in order of first verification, the
 * latest release that was verified and never failed, reverted or rolled back. Chosen from the record,
 * never from directory order, so rolling back twice cannot land on the broken release.
 */
export function selectRollbackTarget(records: readonly ReleaseRecord[]): { ok: true; current: string; target: string } | { ok: false; reason: string } {
  const current = currentRelease(records);
  if (!current) return { ok: false, reason: 'no verified release on this host yet' };
  const order: string[] = [];
  for (const r of records) if (r.status === 'verified' && !order.includes(r.id)) order.push(r.id);
  const bad = new Set(records.filter((r) => BAD.has(r.status)).map((r) => r.id));
  for (let i = order.indexOf(current) - 1; i >= 0; i -= 1) {
    const id = order[i];
    if (id !== undefined && !bad.has(id) && manifestOf(records, id)) return { ok: true, current, target: id };
  }
  return { ok: false, reason: `no earlier verified release before ${current}` };
}

export function summarizeReleases(records: readonly ReleaseRecord[]): ReleaseSummary[] {
  const current = currentRelease(records);
  const byId = new Map<string, ReleaseSummary>();
  for (const r of records) {
    const s = byId.get(r.id) ?? { id: r.id, firstVerifiedAt: undefined, lastStatus: r.status, lastTime: r.time, files: 0, current: false };
    if (r.status === 'verified' && !s.firstVerifiedAt) s.firstVerifiedAt = r.time;
    s.lastStatus = r.status;
    s.lastTime = r.time;
    s.files = Math.max(s.files, r.manifest?.length ?? 0);
    s.current = r.id === current;
    byId.set(r.id, s);
  }
  return [...byId.values()];
}

/**
 * The restore manifest that turns the `from` release's files into `to`'s: `to`'s files with their hashes,
 * and files only `from` had marked as not existing (removed).
 */
export function transitionManifest(from: readonly ManifestEntry[] | undefined, to: readonly ManifestEntry[]) {
  const keep = new Set(to.map((e) => e.path));
  return {
    entries: [
      ...to.map((e) => ({ path: e.path, existed: true, sha256: e.sha256, mode: e.mode })),
      ...(from ?? []).filter((e) => !keep.has(e.path)).map((e) => ({ path: e.path, existed: false })),
    ],
  };
}

export type FileDiff = { path: string; change: 'new' | 'changed' | 'unchanged'; before: string | null; after: string };

/** Per-file diff between the local set and what the host reports (sha256 or missing). */
export function diffFiles(local: readonly { path: string; sha256: string }[], remote: ReadonlyMap<string, string | null>): FileDiff[] {
  return local.map((f) => {
    const before = remote.get(f.path) ?? null;
    const change = before === null ? 'new' : before === f.sha256 ? 'unchanged' : 'changed';
    return { path: f.path, change, before, after: f.sha256 };
  });
}
